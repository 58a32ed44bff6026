"""The lab's images, built from Debian packages because no registry can be reached.

Each image is a base bootstrapped by mmdebstrap (slow, ~1 min, cached by its
package list) plus a small Dockerfile on top (fast). Both are tagged with a
hash of their recipe, so a second `lab up` builds nothing and a changed recipe
rebuilds exactly what it changed. A build that fails leaves no tag behind: the cache
never holds half an image.
"""

import hashlib
import io
import platform
import re
import shlex
import shutil
import subprocess
import sys
import tarfile
import tempfile
import threading
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import docker

from .. import resources, ui
from ..errors import SwarmlabError
from ..paths import state_dir
from . import ENGINES as ENGINE_NAMES
from . import host

SUITE = "bookworm"
# mmdebstrap rather than debootstrap: it lets apt fetch and install, about twice as fast, and takes packages from a
# second suite.
BUILDER = "mmdebstrap"
BUILDS_AT_ONCE = 2  # more bootstraps than cores only slow each other down
RECIPE_LABEL = "swarmlab.recipe"
TRIM = ("var/cache/apt/archives", "var/lib/apt/lists", "usr/share/doc", "usr/share/man", "usr/share/locale")
FREE_SPACE_NEEDED = 4 * 1024**3


@dataclass(frozen=True)
class Base:
    name: str
    packages: tuple
    suite: str = SUITE  # the Debian release the base is
    newer: str = ""  # a later Debian suite whose `from_newer` packages are pinned over the suite's own
    from_newer: tuple = ()
    engine: str = ""  # the docker.io release the base must hold: `newer` moves on, and the build must say so

    def digest(self) -> str:
        pinned = (self.newer, *self.from_newer) if self.newer else ()
        return sha(self.suite, *self.packages, *pinned, *TRIM)

    def sources(self) -> list:
        """The apt sources: a moving suite's Release goes stale on a frozen mirror (this machine's) within a week,
        so its validity date is not checked; its signature still is."""
        found = [f"deb {mirror()} {self.suite} main"]
        if self.newer:
            found.append(f"deb [check-valid-until=no] {mirror()} {self.newer} main")
        return found

    def preferences(self) -> str:
        """Only `from_newer` come from `newer`: the rest of it (libc, python) stays the stable suite's."""
        if not self.newer:
            return ""
        return (
            f"Package: *\nPin: release n={self.newer}\nPin-Priority: 100\n\n"
            f"Package: {' '.join(self.from_newer)}\nPin: release n={self.newer}\nPin-Priority: 990\n"
        )

    @property
    def tag(self) -> str:
        return f"swarmlab/{self.name}:{self.digest()[:12]}"


@dataclass(frozen=True)
class Image:
    """An image the lab runs; `stands_in_for` names the lesson image it replaces, `service` the lesson's service
    (the inventory's key and the LEMP_*_IMAGE variable), which is not always the image's own name."""

    name: str
    base: Base
    stands_in_for: str = ""
    variant: str = ""  # a second image from the same recipe on another base: tagged lab-<variant>
    modules: tuple = ()  # swarmlab's own modules the image runs (the agent's read-only guard)
    service: str = ""
    package: bool = False  # the whole swarmlab package and its Python dependencies (the panel)

    @property
    def recipe(self) -> Path:
        return resources.recipes() / self.name

    @property
    def lesson_service(self) -> str:
        return self.service or self.name

    def context(self) -> dict:
        """{name in the build context: file} of the recipe, and of swarmlab's Python code if the image runs it."""
        found = {p.name: p for p in sorted(self.recipe.iterdir()) if p.is_file()}
        package = Path(__file__).resolve().parent.parent
        found.update({f"swarmlab/{module}": package / module for module in self.modules})
        if self.package:
            found.update({f"swarmlab/{path.relative_to(package)}": path for path in package_files(package)})
            found.update({f"wheels/{path.name}": path for path in wheels()})
        return found

    def digest(self) -> str:
        return sha(
            self.base.digest(),
            *(
                f"{name}\0{file_digest(path) if path.suffix == '.whl' else path.read_text()}"
                for name, path in self.context().items()
            ),
        )

    @property
    def tag(self) -> str:
        return f"swarmlab/{self.name}:lab" + (f"-{self.variant}" if self.variant else "")


NODE_PACKAGES = (
    "docker.io",
    "openssh-server",
    "iproute2",
    "iptables",
    "iputils-ping",
    "procps",
    "ca-certificates",
    "python3",
    "tini",
    "sudo",
)
NODE_BASE = Base("node-base", NODE_PACKAGES, engine="20.10")
# The engine as Debian forky ships it (docker.io 28.5.2, containerd 2.1, runc 1.3) on stable trixie: the rest
# of the node does not move with testing. There the client is a package of its own, and forky's docker.io needs
# its tini-static, which breaks trixie's tini.
ENGINE_28 = ("docker.io", "docker-cli", "containerd", "runc", "tini", "tini-static")
NODE_BASE_28 = Base(
    "node-base", NODE_PACKAGES + ("docker-cli",), suite="trixie", newer="forky", from_newer=ENGINE_28, engine="28.5"
)
STACK_BASE = Base(
    "stack-base",
    ("nginx-light", "php8.2-fpm", "php8.2-mysql", "mariadb-server", "iputils-ping"),
)
NODE = Image("node", NODE_BASE)
NODE_28 = Image("node", NODE_BASE_28, variant="28.5")
# The nodes' engine, by the version Debian ships; the newer is the nearest to what students install today.
ENGINES = dict(zip(ENGINE_NAMES, (NODE_28, NODE)))
GATEWAY = Image("gateway", STACK_BASE, "nginx:1.23-alpine")
PHP_FPM = Image("php-fpm", STACK_BASE, "phpprogrammist/php:8.1-fpm-dev-mysql")
DB = Image("db", STACK_BASE, "mysql:5.7")
AGENT = Image(
    "agent",
    NODE_BASE_28,
    "portainer/agent:2.17.1-alpine",
    modules=(
        "__init__.py",
        "errors.py",
        "i18n/__init__.py",
        "i18n/ru.py",
        "i18n/en.py",
        "lesson/__init__.py",
        "lesson/writes.py",
        "state/__init__.py",
        "state/engine_api.py",
        "state/templates.py",
        "transport/__init__.py",
        "transport/base.py",
        "transport/agent.py",
    ),
)
PANEL = Image("panel", NODE_BASE_28, "portainer/portainer-ce:2.17.1-alpine", service="portainer", package=True)
STAND_INS = (GATEWAY, PHP_FPM, DB, AGENT, PANEL)
UPSTREAM = {image.lesson_service: image.stands_in_for for image in STAND_INS}
# What the panel's image leaves out of the package: it reads the cluster, it neither builds labs nor teaches.
NOT_IN_PANEL = ("lab/recipes", "lesson/level6", "__pycache__")
PYTHON = "3.13"  # Debian trixie's python3: the agent and the panel sit on the default engine's node base


def sha(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def package_files(package: Path) -> list:
    return sorted(
        p
        for p in package.rglob("*")
        if p.is_file()
        and p.suffix != ".pyc"
        and not any(part in p.relative_to(package).as_posix() for part in NOT_IN_PANEL)
    )


def requirements() -> list:
    """swarmlab's own runtime requirements, pinned to the versions installed here: the image runs what the
    tests ran."""
    found = []
    for line in metadata.requires("swarmlab") or []:
        if "extra ==" in line:
            continue
        name = line.split(";")[0].strip()
        bare = re.match(r"[A-Za-z0-9._-]+", name).group(0)
        try:
            found.append(f"{bare}=={metadata.version(bare)}")
        except metadata.PackageNotFoundError:
            found.append(name)
    return sorted(found)


def wheels() -> list:
    """The wheels of swarmlab's dependencies for the nodes' CPython on this machine's architecture, downloaded
    once per requirement list into the build cache: nothing is fetched inside `docker build`."""
    reqs = requirements()
    arch = platform.machine()
    folder = _build_dir() / f"wheels-{sha(PYTHON, arch, *reqs)[:12]}"
    done = folder / ".complete"
    if not done.exists():
        shutil.rmtree(folder, ignore_errors=True)
        tags = [f"--platform={tag}_{arch}" for tag in ("manylinux2014", "manylinux_2_17", "manylinux_2_28", "linux")]
        argv = [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--disable-pip-version-check",
            "--only-binary=:all:",
            f"--python-version={PYTHON}",
            "--implementation=cp",
            f"--abi=cp{PYTHON.replace('.', '')}",
            *tags,
            "--platform=any",
            "-d",
            str(folder),
            *reqs,
        ]
        with ui.step("Downloading the panel's Python dependencies (wheels)"):
            proc = subprocess.run(argv, capture_output=True, text=True)
        if proc.returncode != 0:
            shutil.rmtree(folder, ignore_errors=True)
            last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
            raise SwarmlabError(
                f"pip could not download the panel's dependencies ({last[:200]}): check that PyPI "
                f"is reachable, then run again"
            )
        done.touch()
    return sorted(folder.glob("*.whl"))


def is_current(client: docker.DockerClient, tag: str, digest: str) -> bool:
    try:
        image = client.images.get(tag)
    except docker.errors.ImageNotFound:
        return False
    return (image.labels or {}).get(RECIPE_LABEL) == digest


def ensure(client: docker.DockerClient, images) -> None:
    """Build whatever of `images` (and their bases) is missing or out of date."""
    stale = [image for image in images if not is_current(client, image.tag, image.digest())]
    if not stale:
        return
    bases = {image.base for image in stale if not is_current(client, image.base.tag, image.base.digest())}
    if bases:
        host.require_commands({BUILDER: BUILDER})
        _check_free_space()
        _in_parallel([lambda base=base: _build_base(client, base) for base in sorted(bases, key=lambda b: b.name)])
    for image in stale:
        _build_image(client, image)


def _in_parallel(jobs, at_once: int = BUILDS_AT_ONCE) -> None:
    errors = []
    slots = threading.BoundedSemaphore(at_once)

    def run(job):
        try:
            with slots:
                job()
        except BaseException as err:  # re-raised below in the caller's thread
            errors.append(err)

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


def _build_dir() -> Path:
    path = state_dir() / "build"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _check_free_space() -> None:
    free = shutil.disk_usage(_build_dir()).free
    if free < FREE_SPACE_NEEDED:
        raise SwarmlabError(
            f"only {free / 1024**3:.1f} GiB free in {_build_dir()}; building the lab's images needs "
            f"{FREE_SPACE_NEEDED / 1024**3:.0f} GiB: free some space, then run again"
        )


def mirror() -> str:
    """The Debian mirror this machine's apt already uses (the only one CI can reach)."""
    for path in sorted(Path("/etc/apt/sources.list.d").glob("*.sources")):
        for line in path.read_text().splitlines():
            if line.startswith("URIs:") and "security" not in line:
                return line.split()[1]
    sources = Path("/etc/apt/sources.list")
    if sources.exists():
        for line in sources.read_text().splitlines():
            fields = line.split()
            if fields[:1] == ["deb"] and "security" not in line:
                return next(f for f in fields[1:] if "://" in f)
    return "http://deb.debian.org/debian"


def _build_base(client: docker.DockerClient, base: Base) -> None:
    workdir = Path(tempfile.mkdtemp(prefix=f"{base.name}-", dir=_build_dir()))
    rootfs = workdir / "rootfs"
    suites = base.suite + (f" + {base.newer}'s {base.from_newer[0]}" if base.newer else "")
    try:
        with ui.step(f"Building {base.name} ({suites}) from Debian packages ({BUILDER})") as step:
            hooks = []
            if base.newer:
                preferences = workdir / "preferences"
                preferences.write_text(base.preferences())
                hooks.append(
                    '--setup-hook=mkdir -p "$1/etc/apt/preferences.d" && '
                    f'cp {shlex.quote(str(preferences))} "$1/etc/apt/preferences.d/swarmlab"'
                )
            argv = [
                BUILDER,
                "--variant=minbase",
                f"--include={','.join(base.packages)}",
                *hooks,
                base.suite,
                str(rootfs),
                *base.sources(),
            ]
            proc = subprocess.Popen(
                argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
            )
            tail = []
            for line in proc.stdout:
                tail = (tail + [line.rstrip()])[-20:]
                if line.startswith("I: "):
                    step.update(line[3:].strip()[:60])
            if proc.wait() != 0:
                raise SwarmlabError(_bootstrap_failure(base, tail))
            _check_engine(base, rootfs)
            for path in TRIM:
                shutil.rmtree(rootfs / path, ignore_errors=True)
                (rootfs / path).mkdir(parents=True, exist_ok=True)
            step.update("importing into the engine")
            _import(client, rootfs, base)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _bootstrap_failure(base: Base, tail) -> str:
    text = "\n".join(tail)
    if "No space left on device" in text:
        return (
            f"the disk filled up while building {base.name}: free at least "
            f"{FREE_SPACE_NEEDED / 1024**3:.0f} GiB under {_build_dir()}, then run again"
        )
    last = next((line for line in reversed(tail) if line.startswith("E:")), tail[-1] if tail else "no output")
    return f"{BUILDER} of {base.name} failed ({last}): check that {mirror()} is reachable, then run again"


def installed_version(rootfs: Path, package: str) -> str:
    """The version of `package` that dpkg installed in `rootfs`, "" when it is not there."""
    status = rootfs / "var/lib/dpkg/status"
    for stanza in status.read_text(errors="replace").split("\n\n"):
        fields = dict(line.split(": ", 1) for line in stanza.splitlines() if ": " in line and not line[0].isspace())
        if fields.get("Package") == package and fields.get("Status", "").endswith(" installed"):
            return fields.get("Version", "")
    return ""


def _check_engine(base: Base, rootfs: Path) -> None:
    """A testing suite moves: when it no longer ships the engine the base is named for, say so rather than build a
    node whose engine is not the one asked for."""
    if not base.engine:
        return
    found = installed_version(rootfs, "docker.io")
    if not found.startswith(f"{base.engine}."):
        raise SwarmlabError(
            f"Debian {base.newer or base.suite} now ships docker.io {found or '(none)'}, not {base.engine}: the "
            f"{base.engine} engine can no longer be built from it; use another --engine "
            f"({', '.join(e for e in ENGINE_NAMES if e != base.engine)}) or a swarmlab that knows this one"
        )


def _import(client: docker.DockerClient, rootfs: Path, base: Base) -> None:
    """Stream the rootfs into `docker import`; the tag appears only once the import succeeded."""
    tar = subprocess.Popen(
        ["tar", "-C", str(rootfs), "--numeric-owner", "-c", "."], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    repository, tag = base.tag.split(":")
    try:
        client.api.import_image_from_stream(
            tar.stdout,
            repository=repository,
            tag=tag,
            changes=[f"LABEL {RECIPE_LABEL}={base.digest()}", 'CMD ["/bin/bash"]'],
        )
    except docker.errors.APIError as err:
        tar.kill()
        raise SwarmlabError(_import_failure(base, str(err))) from None
    finally:
        tar.stdout.close()
    if tar.wait() != 0:
        _remove_quietly(client, base.tag)
        raise SwarmlabError(_import_failure(base, tar.stderr.read().decode(errors="replace")))


def _import_failure(base: Base, detail: str) -> str:
    if "no space left" in detail.lower():
        return f"the disk filled up while importing {base.name}: free some space, then run again"
    return f"importing {base.name} into the engine failed ({detail.strip()[:160]}): run again"


def _remove_quietly(client: docker.DockerClient, tag: str) -> None:
    try:
        client.images.remove(tag, force=True)
    except docker.errors.DockerException:
        pass


def _build_image(client: docker.DockerClient, image: Image) -> None:
    context = io.BytesIO()
    with tarfile.open(fileobj=context, mode="w") as tar:
        for name, path in image.context().items():
            tar.add(path, arcname=name)
    context.seek(0)
    with ui.step(f"Building image {image.tag}"):
        try:
            client.images.build(
                fileobj=context,
                custom_context=True,
                tag=image.tag,
                rm=True,
                forcerm=True,
                buildargs={"BASE": image.base.tag},
                labels={RECIPE_LABEL: image.digest()},
            )
        except docker.errors.BuildError as err:
            detail = next((c.get("error") for c in err.build_log if c.get("error")), str(err))
            if "no space left" in detail.lower():
                raise SwarmlabError(
                    f"the disk filled up while building {image.tag}: free some space, then run again"
                ) from None
            raise SwarmlabError(f"building {image.tag} failed ({detail.strip()[:160]})") from None


def purge(client: docker.DockerClient) -> int:
    """Remove every image swarmlab built; returns how many."""
    removed = 0
    for image in client.images.list(filters={"label": RECIPE_LABEL}):
        for tag in image.tags or [image.id]:
            _remove_quietly(client, tag)
        removed += 1
    return removed
