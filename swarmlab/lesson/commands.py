"""The commands that change a cluster, each typed as the lesson types it: the write side.

Reads and writes are kept apart as docker-py keeps its API and models apart:
the checks get only the read side (state/reads.py), so they cannot change a
cluster, while the lesson driver and the notebooks' magics share these
commands. Every command is recorded masked (join tokens, the DB password), and
a failure carries Docker's own words.
"""

from dataclasses import dataclass, field
from typing import NoReturn, Optional

from ..errors import StepFailed
from ..secrets import Masker
from ..transport.base import quote
from ..transport.cluster import Cluster
from .spec import GATEWAY
from .writes import SCALE

NOT_A_MANAGER = "This node is not a swarm manager"
NETWORK_IN_USE = "is in use by task"


@dataclass(frozen=True)
class Ran:
    node: str
    command: str
    exit_status: int
    output: str


@dataclass
class Admin:
    cluster: Cluster
    mask: Masker
    ran: list = field(default_factory=list)

    @property
    def manager(self) -> str:
        return self.cluster.inventory.manager.name

    def run(
        self, node: str, command: str, *args, stdin: Optional[bytes] = None, timeout: float = 300, check: bool = True
    ):
        """Run one command on a node, keep it (masked) and fail with Docker's words if it must succeed."""
        done = self.cluster.run(node, command, *args, stdin=stdin, timeout=timeout)
        output = self.mask((done.stdout + done.stderr).strip())
        shown = self.mask(done.command)
        self.ran.append(Ran(node, shown, done.exit_status, output))
        if check and not done.ok:
            self.refuse(self.ran[-1])
        return done

    @staticmethod
    def refuse(ran: Ran) -> NoReturn:
        last = ran.output.splitlines()[-1] if ran.output else "no output"
        if NOT_A_MANAGER in ran.output:
            raise StepFailed(
                f"`{ran.command}` must run on a manager, and {ran.node} is not one (Docker: {last}): "
                f"give role: manager in the inventory to the node where `docker swarm init` ran"
            )
        raise StepFailed(f"`{ran.command}` failed on {ran.node} ({last})")

    # -- the swarm -----------------------------------------------------------------------

    def swarm_init(self, advertise_addr: str):
        return self.run(self.manager, "docker swarm init --advertise-addr %s", advertise_addr)

    def join_token(self) -> str:
        """The worker join token, read on the manager and masked from then on; it is never shown."""
        done = self.cluster.run(self.manager, "docker swarm join-token -q worker")
        if not done.ok:
            raise StepFailed(
                f"{self.manager} gave no join token ({self.mask(done.stderr.strip())}): "
                f"is it the swarm's manager? run `docker swarm init` there first"
            )
        token = done.stdout.strip()
        self.mask.add(token)
        return token

    def join(self, worker: str, manager_addr: str):
        """`docker swarm join --token … ADDR` on the worker, the token on stdin: in no command line or record."""
        token = self.join_token()
        return self.run(
            worker, 'read -r token; docker swarm join --token "$token" %s', manager_addr, stdin=token.encode() + b"\n"
        )

    def leave(self, node: str, force: bool = False):
        return self.run(node, "docker swarm leave" + (" --force" if force else ""))

    def node_rm(self, node_id: str):
        return self.run(self.manager, "docker node rm --force %s", node_id)

    def node_update(self, node: str, availability: Optional[str] = None, add: Optional[dict] = None, remove=()):
        """`docker node update` with the lesson's flags: --availability, --label-add k=v, --label-rm k."""
        flags, args = [], []
        if availability:
            flags.append("--availability %s")
            args.append(availability)
        for key, value in (add or {}).items():
            flags.append("--label-add %s")
            args.append(f"{key}={value}")
        for key in remove:
            flags.append("--label-rm %s")
            args.append(key)
        return self.run(self.manager, "docker node update " + " ".join(flags) + " %s", *args, node)

    # -- networks, stacks, services, volumes ---------------------------------------------

    def network_create(self, name: str, driver: str = "overlay", attachable: bool = False):
        return self.run(
            self.manager, "docker network create -d %s" + (" --attachable" if attachable else "") + " %s", driver, name
        )

    def network_rm(self, name: str):
        return self.run(self.manager, "docker network rm %s", name)

    def stack_deploy(self, stack: str, compose_dir: str, env: dict):
        """`docker stack deploy -c ./STACK.yaml --with-registry-auth STACK` in the lesson's compose folder."""
        exports = " ".join(quote("%s", f"{key}={value}") for key, value in sorted(env.items()))
        return self.run(
            self.manager,
            "cd %s && " + (f"env {exports} " if exports else "") + "docker stack deploy -c %s --with-registry-auth %s",
            compose_dir,
            f"./{stack}.yaml",
            stack,
        )

    def stack_rm(self, *stacks: str) -> bool:
        """`docker stack rm`; True when it left a stack's network behind. The CLI removes a stack's networks
        right after its services, and swarmkit refuses a network while a task of a service just removed is not
        yet told to stop ("network … is in use by task …"; docker/cli#7304): the same command removes it once the
        tasks are gone. Any other failure is raised."""
        done = self.run(self.manager, "docker stack rm" + " %s" * len(stacks), *stacks, check=False)
        if not done.ok and NETWORK_IN_USE not in self.ran[-1].output:
            self.refuse(self.ran[-1])
        return not done.ok

    def volume_rm(self, node: str, name: str, check: bool = True):
        return self.run(node, "docker volume rm %s", name, check=check)

    def stopped_rm(self, node: str, service: str, wait: int = 30):
        """The stopped containers of a service's old tasks on a node: they hold its volume until they go. Swarm
        removes them too, and a removal it already has in progress fails `docker rm`: what counts is that none is
        left, waited for, with Docker's words when one stays."""
        return self.run(
            node,
            'f=%s; said=$(docker ps -aq --filter "$f" --filter status=exited --filter status=created '
            "| xargs -r docker rm 2>&1 >/dev/null); for i in $(seq %s); do "
            '[ -z "$(docker ps -aq --filter "$f")" ] && exit 0; sleep 1; done; echo "${said:-still there}" >&2; exit 1',
            f"label=com.docker.swarm.service.name={service}",
            wait,
        )

    def service_update_force(self, service: str):
        """Replace every task of the service (the scheduler spreads them again); `stack deploy` keeps the
        service's ForceUpdate counter, so the next deploy does not roll them back."""
        return self.run(self.manager, "docker service update --force --quiet --detach %s", service)

    def service_scale(self, service: str, replicas: int):
        """The panel's own write (writes.SCALE), so a count it would refuse is refused here too."""
        return self.run(self.manager, SCALE.render(service, replicas))

    def reload_gateways(self, nodes=None):
        """`nginx -s reload` in each node's gateway: nginx resolves php-fpm again, and neither the service
        nor its tasks change."""
        for node in nodes or self.cluster.names:
            self.run(
                node,
                "docker ps -q --filter %s | xargs -r -I{} docker exec {} nginx -s reload",
                f"label=com.docker.swarm.service.name={GATEWAY}",
            )
