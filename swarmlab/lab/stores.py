"""Node image stores kept by content hash: a node engine's data root with the stand-in images already in it.

Loading the stand-ins (a gigabyte of layers) into every node's engine was most
of a warm `lab up`. A store is that data root, made once per node image and
set of stand-ins (their image ids are its key) and kept as a volume labelled
`swarmlab.store`. Each new node's data root is then filled from the store with
hard links, which takes a second: image layers never change in place (a
container writes in its own upper layer), and the few files an engine rewrites
in place (its bolt databases) are copied instead. `lab down` keeps the stores;
`lab down --purge` removes them.
"""

import subprocess
from typing import Optional

import docker

from .. import ui
from ..errors import SwarmlabError
from ..waiting import until
from . import images

LABEL = "swarmlab.store"
MARK = ".swarmlab-store"  # written last: a store without it was interrupted and is made again


def key(client: docker.DockerClient, node_image: images.Image, stand_ins) -> str:
    ids = [client.images.get(image.tag).id for image in (node_image, *stand_ins)]
    return images.sha(*ids)[:16]


def ensure(
    client: docker.DockerClient, node_image: images.Image, stand_ins, host_config
) -> docker.models.volumes.Volume:
    """The store for these images, made now if it is missing or was left half-made."""
    name = f"swarmlab-store-{key(client, node_image, stand_ins)}"
    # Stores are made one at a time (the caller holds the images lock), so a store's engine still there is one a
    # killed process left running: it holds its store's volume and keeps writing to it.
    for orphan in client.containers.list(all=True, filters={"label": f"{LABEL}={node_image.tag}"}):
        orphan.remove(force=True, v=True)
    found = _volume(client, name)
    if found is not None and _complete(client, node_image, found):
        return found
    if found is not None:
        found.remove(force=True)
    volume = client.volumes.create(name, labels={LABEL: node_image.tag})
    with ui.step("Preparing a node image store (once per set of images)") as step:
        try:
            _fill_store(client, node_image, stand_ins, volume, host_config, step)
        except BaseException:
            volume.remove(force=True)
            raise
    return volume


def _volume(client, name: str) -> Optional[docker.models.volumes.Volume]:
    try:
        return client.volumes.get(name)
    except docker.errors.NotFound:
        return None


def _complete(client, node_image: images.Image, volume) -> bool:
    return _run(client, node_image, ["test", "-e", f"/store/{MARK}"], {volume.name: "/store"}) == 0


def _fill_store(client, node_image, stand_ins, volume, host_config, step) -> None:
    """Start an engine on the empty store, load the stand-ins into it, stop it cleanly."""
    api = client.api
    created = api.create_container(
        node_image.tag,
        entrypoint=["/usr/bin/tini", "--"],
        command=["sh", "-c", "exec dockerd --cgroup-parent /swarmlab-store >/var/log/dockerd.log 2>&1"],
        host_config=host_config(volume.name),
        labels={LABEL: node_image.tag},
        detach=True,
    )
    container = client.containers.get(created["Id"])
    try:
        container.start()
        step.update("starting an engine on it")
        until(
            lambda: container.exec_run(["docker", "info"]).exit_code == 0,
            timeout=90,
            interval=0.5,
            what="the store's engine to start",
            error=SwarmlabError,
        )
        step.update("loading the stand-ins")
        save = subprocess.Popen(
            ["docker", "save", *(image.tag for image in stand_ins)], stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        load = subprocess.run(
            ["docker", "exec", "-i", container.id, "docker", "load", "-q"],
            stdin=save.stdout,
            capture_output=True,
            text=True,
        )
        save.stdout.close()
        if save.wait() != 0 or load.returncode != 0:
            raise SwarmlabError(
                f"loading the stand-ins into a node image store failed "
                f"({(load.stderr or save.stderr.read().decode()).strip()[:160]}): run again"
            )
        container.exec_run(["touch", f"/var/lib/docker/{MARK}"])
        container.stop(timeout=30)
    finally:
        container.remove(force=True, v=True)


def fill(client: docker.DockerClient, node_image: images.Image, store, volumes) -> None:
    """Fill each (empty) node volume from the store: hard links, and copies of what an engine rewrites in place."""
    root = store.attrs["Mountpoint"].rsplit("/", 2)[0]  # the engine's volumes folder: both sides in one mount
    # --preserve=xattr makes a lost xattr an error: overlay2 marks opaque directories (a folder an image layer
    # emptied, like the db image's /var/lib/mysql) with trusted.* xattrs, which need CAP_SYS_ADMIN to set.
    each = [
        f"cp -a --preserve=xattr --link /volumes/{store.name}/_data/. /volumes/{v.name}/_data/ "
        f"&& cd /volumes/{v.name}/_data "
        f"&& rm -rf engine-id network swarm tmp {MARK} && find . -name '*.db' -type f -exec sh -c "
        f'\'cp --remove-destination "/volumes/{store.name}/_data/$1" "$1"\' _ {{}} \\;'
        for v in volumes
    ]
    script = " & ".join(f"( {one} )" for one in each) + " & wait"
    status = _run(
        client, node_image, ["sh", "-c", f"set -e; {script}"], {root: "/volumes"}, bind=True, cap_add=["SYS_ADMIN"]
    )
    if status != 0:
        raise SwarmlabError(
            "filling the nodes' engines from the image store failed: run `swarmlab lab down "
            "--purge` to make the store again"
        )


def _run(client, node_image, command, mounts: dict, bind: bool = False, cap_add=()) -> int:
    """A throwaway container of the node image; its exit status."""
    container = client.containers.create(
        node_image.tag,
        command,
        entrypoint=[],
        labels={LABEL: "helper"},
        cap_add=list(cap_add),
        mounts=[
            docker.types.Mount(target, source, type="bind" if bind else "volume") for source, target in mounts.items()
        ],
    )
    try:
        container.start()
        return container.wait()["StatusCode"]
    finally:
        container.remove(force=True, v=True)


def purge(client: docker.DockerClient) -> int:
    found = client.volumes.list(filters={"label": LABEL})
    for volume in found:
        volume.remove(force=True)
    return len(found)
