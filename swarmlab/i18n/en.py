"""Every word an English reader sees.

Keys are shared with the other language's module (a unit test holds them to the same keys and the
same placeholders); see swarmlab/i18n/__init__.py for their families.
"""

WORDS = {
    # -- reaching nodes, pages, outcomes and grading statuses -------------------------------------------------------
    "ssh.host-key-changed": (
        "the host key of {where} changed: {recorded} was recorded, {presented} was presented (in {known_hosts}); "
        "if the VM was rebuilt, remove the old key (ssh-keygen -R {host} -f {known_hosts}), else do not connect"
    ),
    "ssh.auth": (
        "the key {key} was refused for user {user}: add its public key to ~{user}/.ssh/authorized_keys on the node"
    ),
    "ssh.host-key-unknown": (
        "the host key of {where} is not in {known_hosts}: check it and run again with --accept-new-host-keys"
    ),
    "ssh.dropped": "{where} closed the connection during the SSH handshake",
    "ssh.timeout": "SSH to {where} timed out after {timeout} s: check the address and that the VM runs",
    "ssh.refused": "connection to {where} refused: check that sshd runs and the port is right",
    "ssh.unknown-host": "the name {host} does not resolve: check the address",
    "ssh.unreachable": "{where} cannot be reached ({error}): check the address",
    "ssh.not-ssh": "{where} does not answer as an SSH server ({error}): check the port",
    "ssh.error": "SSH to {where} failed ({error})",
    "ssh.command-timeout": "`{command}` did not finish within {timeout} s",
    "ssh.connection-dropped": "the SSH connection dropped ({error})",
    "ssh.no-key": (
        "nothing to log in to {where} as {user} with: no key and no ssh-agent; give key: in the inventory (or "
        "start ssh-agent and ssh-add your key)"
    ),
    "ssh.not-a-key": (
        "{key} is not an SSH private key: give key: the private key (not the .pub), e.g. ~/.ssh/id_ed25519"
    ),
    "ssh.key-unreadable": "the key {key} cannot be read ({error}): check its path and permissions (chmod 600)",
    "ssh.key-passphrase": (
        "the key {key} has a passphrase: add it to the agent (ssh-add {key}) and leave key: out of the "
        "inventory, so that swarmlab takes it from the agent"
    ),
    "ssh.no-route": (
        "there is no route to {where} from this machine: check the address (the VM's public IP) and the network"
    ),
    "ssh.sudo-password": (
        "sudo on {where} asks {user} for a password: allow it without one (NOPASSWD in /etc/sudoers.d), or log "
        "in as a user of the docker group without become"
    ),
    "ssh.too-large": "the answer to `{read}` is larger than {cap}: reading stopped (a node's answers are capped)",
    "fetch.refused": "connection refused: nothing listens on port 80",
    "fetch.no-answer": "no answer: the address is silent (a firewall, or the VM is off)",
    "fetch.slow-answer": "the connection was accepted but no answer came in time",
    "fetch.reset": "the connection was reset",
    "fetch.unreachable": "the address cannot be reached from this machine",
    "fetch.unknown-host": "the name does not resolve",
    "outcome.passed": "passed",
    "outcome.failed": "failed",
    "outcome.blocked": "blocked",
    "outcome.not_applicable": "not applicable",
    "column.stage": "stage",
    "column.check": "check",
    "column.outcome": "outcome",
    "column.detail": "what is wrong → what to do",
    "report.more": "(and {count} more for the same reason)",
    "report.unreached": "{message}: checks it kept from running: {count}",
    "grade.all": "graded: every check passed",
    "grade.some": "graded: {passed} of {count} checks passed; first to fix ({stage}): {message}",
    "grade.unreached": "not graded: {message}",
    "grade.late": "not graded: the checks did not finish within {timeout} s",
    "grade.broken": "not graded: the checks could not run ({message})",
    "grade.reach": "check this student's manager, port, user and key in the roster",
    "summary": "{passed} passed, {failed} failed, {blocked} blocked",
    "summary.not_applicable": ", {count} not applicable",
    # -- who else's cluster this is (integrity) ----------------------------------------------------------------------
    "ssh.not-allowed": (
        "the swarm reports the address {address}, which is neither in the roster nor inside --allow-network: not "
        "contacted (list it in the roster's workers column, or add --allow-network CIDR)"
    ),
    "integrity.cluster": "the same swarm (cluster ID) as {other}",
    "integrity.ca": "the same swarm CA as {other}",
    "integrity.node": "the same node {node} as {other}",
    "integrity.address": "the same manager address ({address}) as {other}",
    "integrity.answer": "the answer to {question} is right for {other}'s cluster, not for this one",
    "integrity.none": "nothing shared with another cluster",
    "book.integrity": "shared with other students",
    "grade.not_contacted": (
        "{count} student(s): the swarm reports nodes at addresses outside the roster, not contacted: list them "
        "in the workers column or add --allow-network CIDR"
    ),
    # -- the checks' titles -----------------------------------------------------------------------------------------
    "title.manager_answers_with_docker": "manager answers with docker",
    "title.swarm_is_active_on_the_manager": "swarm is active on the manager",
    "title.manager_is_a_manager_and_the_leader": "manager is a manager and the leader",
    "title.every_worker_answers_with_docker": "every worker answers with docker",
    "title.every_inventory_node_is_in_the_swarm": "every inventory node is in the swarm",
    "title.the_swarm_has_no_node_outside_the_inventory": "the swarm has no node outside the inventory",
    "title.no_node_is_listed_twice": "no node is listed twice",
    "title.every_node_is_ready_and_active": "every node is ready and active",
    "title.one_manager_leads_and_the_others_are_workers": "one manager leads and the others are workers",
    "title.lemp_overlay_exists": "lemp-overlay exists",
    "title.lemp_overlay_is_an_overlay_of_swarm_scope": "lemp-overlay is an overlay of swarm scope",
    "title.lemp_overlay_was_created_outside_the_stacks": "lemp-overlay was created outside the stacks",
    "title.lemp_overlay_does_not_overlap_the_nodes_networks": "lemp-overlay overlaps no node's network",
    "title.level6_is_on_every_node": "the lesson's folder is on every node",
    "title.level6_is_the_same_on_every_node": "the lesson's folder is the same on every node",
    "title.the_three_lesson_stacks_are_deployed": "the three lesson stacks are deployed",
    "title.each_stack_holds_its_one_service": "each stack holds its one service",
    "title.each_service_runs_in_the_lessons_mode": "each service runs in the lesson's mode",
    "title.the_gateway_runs_one_task_on_every_node": "the gateway runs one task on every node",
    "title.the_gateway_publishes_port_80_in_host_mode": "the gateway publishes port 80 in host mode",
    "title.php_fpm_wants_six_replicas": "php-fpm wants six replicas",
    "title.every_replicated_service_runs_all_its_tasks": "every replicated service runs all its tasks",
    "title.php_fpm_is_spread_evenly_over_the_nodes": "php-fpm is spread evenly over the nodes",
    "title.the_db_is_healthy": "the db is healthy",
    "title.every_service_is_attached_to_lemp_overlay": "every service is attached to lemp-overlay",
    "title.hostnames_show_the_node_that_runs_the_task": "hostnames show the node that runs the task",
    "title.php_fpm_resolves_as_its_endpoint_mode_says": "php-fpm resolves as its endpoint mode says",
    "title.tasks_php_fpm_resolves_to_the_running_tasks": "tasks.php-fpm resolves to the running tasks",
    "title.each_gateway_pings_php_fpm_on_another_node": "each gateway pings php-fpm on another node",
    "title.large_packets_cross_between_nodes": "large packets cross between nodes",
    "title.every_node_answers_200_with_the_posts_table": "every node answers 200 with the posts table",
    "title.every_node_shows_the_same_posts": "every node shows the same posts",
    "title.php_fpm_hostnames_from_several_nodes_appear": "php-fpm hostnames from several nodes appear",
    "title.no_lesson_stack_remains": "no lesson stack remains",
    "title.no_db_volume_remains": "no db volume remains",
    "title.every_node_carries_the_lessons_labels": "every node carries the lesson's labels",
    "title.no_lesson_label_is_on_another_node": "no lesson label is on another node",
    "title.each_service_has_the_lessons_constraint": "each service has the lesson's constraint",
    "title.the_gateway_runs_on_the_ingress_nodes_only": "the gateway runs on the ingress nodes only",
    "title.php_fpm_runs_four_tasks_on_the_fpm_nodes": "php-fpm runs four tasks on the fpm nodes",
    "title.the_db_runs_on_the_storage_node": "the db runs on the storage node",
    "title.the_panel_stack_runs_an_agent_on_every_node": "the panel stack runs an agent on every node",
    "title.the_panel_runs_on_a_manager": "the panel runs on a manager",
    "title.the_panel_answers_https_on_9443": "the panel answers HTTPS on 9443",
    # -- what a check says when it does not pass: the message, then its hint ----------------------------------------
    "init.unreachable": "{node} cannot be reached: {reason}",
    "init.unreachable.hint": "check the address, user and key of {node} in the inventory",
    "init.no_docker": "docker does not answer on {node} ({reason})",
    "init.no_docker.hint": "install Docker Engine on {node} as the lesson says",
    "init.docker_denied": "{user} may not use docker on {node} ({reason})",
    "init.docker_denied.hint": (
        "add {user} to the docker group on {node} (`sudo usermod -aG docker {user}`, then log in again) or set "
        "`become: sudo` in the inventory"
    ),
    "init.swarm_inactive": "swarm is {state} on {node}",
    "init.swarm_inactive.hint": "run `docker swarm init` on {node}",
    "init.not_leader": "{node} is not the Leader manager (role: {role})",
    "init.not_leader.hint": "initialise the swarm on {node}: `docker swarm leave --force`, then `docker swarm init`",
    "join.not_joined": "not in the swarm: {nodes}",
    "join.not_joined.hint": "run the `docker swarm join --token ...` printed by `docker swarm init` on {nodes}",
    "join.pending": "{node} cannot join the swarm: its swarm is pending ({error})",
    "join.pending.hint": (
        "open the manager's port 2377/tcp to the workers (the cloud's security group or firewall) and check the "
        "address in `docker swarm join`"
    ),
    "join.extra": "the swarm has nodes the inventory does not list: {nodes}",
    "join.extra.hint": "remove them on manager: `docker node rm {nodes}`",
    "join.stale": "{node} is listed twice: a stale entry {ids} is Down",
    "join.stale.hint": "remove the stale entry on manager: `docker node rm {ids}`",
    "join.down": '{node} is Down: "{message}"',
    "join.down.hint": (
        "check that the VM {node} runs, docker runs on it and ports 2377/tcp, 7946/tcp+udp are open between the VMs"
    ),
    "join.not_ready": "{node} is {state}",
    "join.not_ready.hint": "check docker on {node}; if it was rebuilt, join it again (`docker swarm join`)",
    "join.not_active": "{node} is {availability}: no task will run there",
    "join.not_active.hint": "put it back: `docker node update --availability active {node}`",
    "join.roles": "node roles differ from the lesson: {roles}",
    "join.roles.hint": "manager is the only manager (Leader), the others are workers",
    "join.second_manager": (
        "the swarm has {count} managers ({nodes}): with two, losing either one loses the quorum and the swarm "
        "can no longer be managed"
    ),
    "join.second_manager.hint": (
        "keep one manager: `docker node demote {extra}` (or three, to survive the loss of one)"
    ),
    "join.worker_unreachable": "{node} cannot be reached: {reason}",
    "join.worker_unreachable.hint": "check the address, user and key of {node} in the inventory",
    "network.missing": "there is no network lemp-overlay",
    "network.missing.hint": "create it on manager: `docker network create -d overlay lemp-overlay`",
    "network.driver": "lemp-overlay has driver {driver} (scope {scope}), the lesson needs overlay (swarm)",
    "network.driver.hint": (
        "recreate it: `docker network rm lemp-overlay && docker network create -d overlay lemp-overlay`"
    ),
    "network.from_stack": "lemp-overlay was made by stack {stack}, the lesson declares it external",
    "network.from_stack.hint": (
        "remove the stack and create the network by hand: `docker network create -d overlay lemp-overlay`"
    ),
    "sync.missing": "the lesson's folder {path} is missing on: {nodes}",
    "sync.missing.hint": (
        "copy the folder level6 to every node, at the same path as on manager (the lesson's: "
        "/opt/docker-lessons/level6)"
    ),
    "sync.differs": "level6 on {node} differs from the copy on {reference}: {files}",
    "sync.differs.hint": "copy level6 to {node} again: each node's containers mount that node's files",
    "stacks.missing": "stacks not deployed: {stacks}",
    "stacks.missing.hint": "in the lesson's compose folder: {commands}",
    "stacks.services": "stack {stack} holds {services}, the lesson has one: {expected}",
    "stacks.services.hint": "deploy the stack again from the lesson's file",
    "stacks.mode": "{service} runs in {mode} mode, the lesson uses {expected}",
    "stacks.mode.hint": "deploy the stack again from the lesson's file",
    "stacks.gateway_tasks": "edge_gateway does not run on every node (missing on: {nodes})",
    "stacks.gateway_tasks.hint": (
        "find out why: `docker service ps --no-trunc edge_gateway` and `docker service logs edge_gateway`"
    ),
    "stacks.gateway_upstream": (
        "edge_gateway cannot start on: {nodes}: nginx cannot find php-fpm (host not found in upstream)"
    ),
    "stacks.gateway_upstream.hint": (
        "deploy the core stack: `docker stack deploy -c ./core.yaml --with-registry-auth core`"
    ),
    "stacks.port": "edge_gateway publishes port 80 as {ports}, the lesson uses mode: host",
    "stacks.port.hint": "put `mode: host` back in edge.yaml and deploy edge again",
    "stacks.replicas": "{service} wants {replicas} replicas, the lesson has {expected}",
    "stacks.replicas.hint": "`docker service scale {service}={expected}` or deploy the stack again",
    "stacks.running": "{service}: {running} of {wanted} running",
    "stacks.running.hint": (
        "find out why: `docker service ps --no-trunc {service}` and `docker service logs {service}`"
    ),
    "stacks.spread": "{service} is spread unevenly: {spread}",
    "stacks.spread.hint": "rebalance its tasks: `docker service update --force {service}`",
    "stacks.pinned": "{service} is pinned by the constraint {constraints}: {spread}",
    "stacks.pinned.hint": "remove it: `docker service update --constraint-rm '{constraints}' {service}`",
    "stacks.db_health": "storage_db is not healthy: {health}",
    "stacks.db_health.hint": "read `docker service logs storage_db` and the healthcheck in storage.yaml",
    "stacks.network": "services not attached to lemp-overlay: {services}",
    "stacks.network.hint": "list lemp-overlay in the compose file and deploy again",
    "stacks.hostname": "{service} hostname template '{actual}' does not show the node that runs the task",
    "stacks.hostname.hint": "restore the lesson's hostname ('{expected}') and deploy again",
    "vip.resolves": "in the gateway on {node}, php-fpm resolves to {got}, expected {expected} (endpoint mode {mode})",
    "vip.resolves.hint": "look at `docker inspect service core_php-fpm` (Endpoint) and the network lemp-overlay",
    "vip.tasks": "in the gateway on {node}, tasks.php-fpm resolves to {got}, the tasks' addresses are {expected}",
    "vip.tasks.hint": "check that every core_php-fpm task is attached to lemp-overlay",
    "connectivity.ping": "the gateway on {node} cannot ping php-fpm {target} on {other}",
    "connectivity.ping.hint": (
        "check the overlay between nodes (ports 4789/udp, 7946/tcp+udp and 2377/tcp open between the VMs)"
    ),
    "pages.refused": ('http://{node}/: a browser would say "connection refused": nothing listens on port 80 of {node}'),
    "pages.refused.hint": "check that edge_gateway runs on {node}: `docker service ps edge_gateway`",
    "pages.no-answer": "http://{node}/: a browser would wait and give up: {address}:80 does not answer at all",
    "pages.no-answer.hint": "open port 80/tcp of {node} in the cloud's firewall and check that the VM runs",
    "pages.slow-answer": (
        "http://{node}/: a browser would wait and give up: nginx accepted the connection but php-fpm never answered"
    ),
    "pages.slow-answer.hint": (
        "read nginx's log (`docker service logs edge_gateway`) and the network between nodes (`swarmlab check "
        "--stage connectivity`)"
    ),
    "pages.reset": 'http://{node}/: a browser would say "connection reset"',
    "pages.reset.hint": "read `docker service logs edge_gateway`",
    "pages.unreachable": "http://{node}/: {address} cannot be reached from this machine",
    "pages.unreachable.hint": "check the address of {node} in the inventory",
    "pages.unknown-host": "http://{node}/: the name {address} does not resolve",
    "pages.unknown-host.hint": "check the address of {node} in the inventory",
    "pages.bad_gateway": "http://{node}/ answers {status}: nginx cannot reach php-fpm",
    "pages.bad_gateway.hint": (
        "read nginx's log (`docker service logs edge_gateway`) and `docker service ps core_php-fpm`"
    ),
    "pages.status": "http://{node}/ answers {status}: {text}",
    "pages.status.hint": "check edge_gateway on {node}: `docker service ps edge_gateway`",
    "pages.db_down": "http://{node}/ answers {status}: {text}",
    "pages.db_down.hint": (
        "the database is unreachable: deploy the storage stack and wait until it is healthy (`docker service ps "
        "storage_db`)"
    ),
    "pages.no_posts": "the page of {node} lists no posts",
    "pages.no_posts.hint": "open http://{address}/init.php (the init script)",
    "pages.differ": "nodes show different posts: {detail}",
    "pages.differ.hint": "every node must use the one database (storage_db x1)",
    "pages.balance": "over {count} requests to {node} the php-fpm hostname was only: {hosts}",
    "pages.balance.hint": "check the load balancing: php-fpm runs on {spread}; endpoint mode {mode}",
    "teardown.stacks": "lesson stacks remain: {stacks}",
    "teardown.stacks.hint": "`docker stack rm {stacks}`",
    "teardown.volume": "the volume {volume} remains on: {nodes}",
    "teardown.volume.hint": "on those nodes: `docker volume rm {volume}`",
    "labels.missing": "{node} lacks the lesson's labels: {labels} (now: {actual})",
    "labels.missing.hint": "on manager: `docker node update {flags} {node}`",
    "labels.typo": "{node} carries the label '{found}' instead of '{wanted}'",
    "labels.typo.hint": "fix it: `docker node update --label-rm {found} --label-add {wanted}=true {node}`",
    "labels.wrong_node": "the label {label} is on {node}, where the lesson does not put it",
    "labels.wrong_node.hint": "remove it: `docker node update --label-rm {label} {node}`",
    "placement.constraint": "{service} has the constraints {actual}, the lesson's is '{expected}'",
    "placement.constraint.hint": (
        "put `deploy.placement.constraints: [{expected}]` in the compose file and deploy the stack again"
    ),
    "placement.where": "{service} runs on: {actual}, its labels say: {expected}",
    "placement.where.hint": (
        'check the nodes\' labels (`docker node inspect NODE --format "{{{{json .Spec.Labels}}}}"`) and the '
        "constraint; then `docker service update --force {service}`"
    ),
    "panel.missing": "the portainer stack is not deployed",
    "panel.missing.hint": 'in the lemp2 folder: `./up.sh portainer` (or `./up.sh`, then "all")',
    "panel.agents": "the portainer agent does not run on: {nodes}",
    "panel.agents.hint": "find out why: `docker service ps --no-trunc portainer_agent`",
    "panel.manager": "the portainer panel runs on {nodes}, it belongs on a manager",
    "panel.manager.hint": "the constraint in portainer.yaml: `node.role == manager`",
    "panel.https": "https://{node}:9443: {problem}",
    "panel.https.hint": "check `docker service ps portainer_portainer` and port 9443 in the cloud's firewall",
    "panel.ingress_no_ipvs": (
        "https://{node}:9443 does not open ({problem}): port 9443 is published through the ingress routing mesh, "
        "which needs IPVS, and {node}'s kernel has none"
    ),
    "panel.ingress_no_ipvs.hint": (
        "publish the panel's ports in host mode (LEMP_PUBLISH_MODE=host from /etc/profile.d/swarmlab.sh) and "
        "deploy the portainer stack again"
    ),
    "diagnose.bind_source": (
        "{service} cannot start on {node}: {path} does not exist there (bind source path does not exist)"
    ),
    "diagnose.bind_source.hint": (
        "copy level6 to {node} at the same path as on manager: the compose file names a path on manager, and "
        "every node mounts it from its own disk"
    ),
    "diagnose.task_exits": (
        "{service} cannot stay up on {node}: its task exits with code {code}, and its own output says why (below)"
    ),
    "diagnose.task_exits.hint": (
        "fix what that task's own lines name (`docker service logs {task}` shows that task alone, `docker service "
        "logs {service}` every task's output interleaved), then deploy the stack again"
    ),
    "diagnose.image_missing": (
        "{service} cannot start on {node}: the image {image} is not there and the node cannot pull it"
    ),
    "diagnose.image_missing.hint": (
        "get the image onto {node} (`docker pull {image}` with registry access, else `docker save`/`docker "
        "load`), or deploy with `--with-registry-auth` for a private registry"
    ),
    "diagnose.port_busy": (
        '{service} cannot start on {node}: port 80 is already taken by "{holder}" (address already in use)'
    ),
    "diagnose.port_busy.hint": (
        "stop it on {node} (e.g. `systemctl disable --now {holder}`): the gateway needs port 80"
    ),
    "diagnose.port_taken": (
        "{service} cannot get port 80: {others} already publishes it (host-mode port already in use)"
    ),
    "diagnose.port_taken.hint": "remove the old stack (`docker stack rm ...`) before deploying the new one",
    "diagnose.constraint": "{service}'s tasks are Pending: no node satisfies {constraints}",
    "diagnose.constraint.hint": (
        'check the nodes\' labels (`docker node inspect NODE --format "{{{{json .Spec.Labels}}}}"`); they are '
        "set with `docker node update --label-add ...`"
    ),
    "diagnose.constraint_key": (
        "{service}'s tasks are Pending: the constraint '{constraint}' matches no node; a label is written "
        "node.labels.<label>"
    ),
    "diagnose.constraint_key.hint": "write `node.labels.{constraint}` in the compose file and deploy the stack again",
    "diagnose.no_node_available": (
        "{service}'s tasks have nowhere to go: the nodes are not available for new tasks (drained or Down)"
    ),
    "diagnose.no_node_available.hint": "put the nodes back: `docker node update --availability active NODE`",
    "diagnose.db_unhealthy": (
        "storage_db on {node} is not healthy ({health}): its healthcheck fails or it keeps restarting"
    ),
    "diagnose.db_unhealthy.hint": (
        "read the db's log (`docker service logs storage_db`): a missing password or a half-initialised volume "
        "are the usual causes"
    ),
    "diagnose.db_not_started": "storage_db has not started a container on any node yet",
    "diagnose.db_not_started.hint": "find out why: `docker service ps --no-trunc storage_db`",
    "diagnose.unattached": (
        "{task} runs on {node} without its address on lemp-overlay ({address}): its container is not "
        "attached to the network, so DNS leaves the task out and no packet reaches it"
    ),
    "diagnose.unattached.hint": (
        "replace the task: `docker service update --force {service}` on the manager (it starts every task "
        "again, each attached afresh)"
    ),
    "diagnose.stale_names": (
        "in the gateway on {node}, tasks.php-fpm resolves to {resolved} addresses for the {running} running "
        "tasks of {service}, though every task is attached and every node knows the others; {node}'s NetworkDB lists "
        "{listed} of them: the engine's name records for {service} went stale"
    ),
    "diagnose.stale_names.hint": (
        "`docker service update --force {service}` on the manager publishes its tasks' names again (a known "
        "Docker fault after a stack is deployed again before its network was taken apart, moby/moby#36691: "
        "before `docker stack deploy`, wait until `docker network inspect lemp-overlay` shows no container)"
    ),
    "diagnose.gossip": (
        "{node} is cut off from the overlay: the NetworkDB of {others} does not know it (docker network inspect "
        "-v: Peers), so neither its tasks' addresses nor their packets reach them"
    ),
    "diagnose.gossip.hint": (
        "open port 7946/tcp and 7946/udp between the VMs (the cloud's firewall or security group), for {node}; "
        "if tasks were restarted just now, check again in a minute: NetworkDB may still be converging"
    ),
    "diagnose.vxlan": (
        "{node} is cut off from the overlay: the nodes know each other, but packets between containers are lost "
        "({pairs})"
    ),
    "diagnose.vxlan.hint": "open port 4789/udp (VXLAN) between the VMs, for {node}",
    "diagnose.vxlan_pairs": "overlay packets are lost between: {pairs}",
    "diagnose.vxlan_pairs.hint": "open port 4789/udp (VXLAN) between the VMs",
    "diagnose.mtu": (
        "small packets cross between {node} and the other nodes, large ones are lost: the path MTU is below what "
        "the overlay needs ({overlay}+50)"
    ),
    "diagnose.mtu.hint": (
        "lower the overlay's MTU (`docker network create -d overlay --opt com.docker.network.driver.mtu=1400 "
        "lemp-overlay`) or fix the link's MTU between the VMs"
    ),
    "diagnose.node_down": (
        '{node} is Down ("{message}"): the swarm moved its tasks away, yet their old addresses stay in the '
        "overlay's DNS"
    ),
    "diagnose.node_down.hint": (
        "bring {node} back: check that the VM and docker run and that the manager's port 2377/tcp is open to it"
    ),
    "diagnose.stale_upstream": (
        "the gateway on {node} sends requests to php-fpm addresses that no task has any more ({dead}): nginx "
        "resolved them at start"
    ),
    "diagnose.stale_upstream.hint": (
        "restart the gateway (`docker service update --force edge_gateway`); with a VIP (IPVS) this cannot happen"
    ),
    "diagnose.no_ipvs": (
        "http://{node}/ does not work: php-fpm runs in vip mode and {node}'s kernel has no IPVS: the virtual IP "
        "carries no traffic (newer Docker engines do not even resolve its name)"
    ),
    "diagnose.no_ipvs.hint": (
        "deploy core and storage with `endpoint_mode: dnsrr` (LEMP_ENDPOINT_MODE=dnsrr) or load the ip_vs kernel "
        "module on the nodes"
    ),
    "diagnose.ingress_no_ipvs": (
        "http://{node}/ does not open: port 80 is published through the ingress routing mesh, which needs IPVS, "
        "and {node}'s kernel has none"
    ),
    "diagnose.ingress_no_ipvs.hint": (
        "publish the port in host mode as the lesson does (`mode: host` in edge.yaml) and deploy edge again"
    ),
    "blocked.page": "not checked: the page of {node} does not open",
    "blocked.page.hint": "get the page to open first (the check above)",
    "diagnose.db_password": (
        'http://{node}/: PHP gets "Access denied" from the db although it is healthy: the db volume was '
        "initialised with another password"
    ),
    "diagnose.db_password.hint": (
        "mysqladmin ping passes with a wrong password too; remove the storage stack and the volume "
        "storage_db_volume on the db's node, then deploy again (the data is lost)"
    ),
    "diagnose.db_moved": (
        "the page of {node} lists no posts: the db moved to {db}, whose storage_db_volume is new and empty; the "
        "posts are in the volume on {posts}"
    ),
    "diagnose.db_moved.hint": (
        "`swarmlab lesson run` moves the db back to {posts}, with its data (part 2 pins it with the storage "
        "label and `node.labels.storage == true`)"
    ),
    "diagnose.cloned": (
        "two nodes are called {node} ({ids}, at {addresses}): VMs cloned from one image kept its hostname, and "
        "`node.hostname == {node}` matches either"
    ),
    "diagnose.cloned.hint": (
        "on one of the VMs: `hostnamectl set-hostname NEW-NAME`, `docker swarm leave`, then join again with the "
        "manager's `docker swarm join-token worker` (never `docker node rm` a node that is still Ready)"
    ),
    "diagnose.shared_address": (
        "{nodes} all advertise {address}: the swarm sends their overlay traffic and gossip to that one address "
        "(the NAT card every VirtualBox or Vagrant VM has)"
    ),
    "diagnose.shared_address.hint": (
        "join each node again with `--advertise-addr` (and `--data-path-addr`) of the card the VMs reach each "
        "other on: `docker swarm leave`, then `docker swarm join --advertise-addr ADDRESS ...`"
    ),
    "diagnose.advertise_unreachable": (
        "{node} advertises {address}, which the other nodes cannot reach: the swarm chose the wrong card of a "
        "VM with two, or a NAT address"
    ),
    "diagnose.advertise_unreachable.hint": (
        "join {node} again with `--advertise-addr` of an address the other VMs reach (`docker swarm leave`, "
        "then `docker swarm join --advertise-addr ADDRESS ...`), or open the cloud firewall to {address}"
    ),
    "diagnose.two_cards": (
        "{node} has addresses on two cards ({cards}): `docker swarm init` cannot choose which to advertise "
        '("could not choose an IP address to advertise since this system has multiple addresses")'
    ),
    "diagnose.two_cards.hint": (
        "say which one: `docker swarm init --advertise-addr {address}` (the private address the other VMs reach)"
    ),
    "diagnose.clock": (
        "{node}'s clock is {apart} s off {reference}'s: the swarm's certificates look expired or not yet valid there "
        '("x509: certificate has expired or is not yet valid")'
    ),
    "diagnose.clock.hint": (
        "synchronise the clocks: `timedatectl set-ntp true` on every VM (or install chrony), then join {node} again "
        "if it was refused"
    ),
    "diagnose.overlap": (
        "lemp-overlay's subnet {network} overlaps {node}'s own network ({address}): its tasks and the hosts "
        "there cannot be told apart"
    ),
    "diagnose.overlap.hint": (
        "create the network with a range the VMs do not use: `docker network rm lemp-overlay`, then "
        "`docker network create -d overlay --subnet 10.200.0.0/24 lemp-overlay`, and deploy the stacks again"
    ),
    "diagnose.api_too_old": (
        "{service} speaks Docker API {client}, which {node}'s engine {engine} refuses (it accepts {floor} and "
        'newer): "client version {client} is too old"'
    ),
    "diagnose.api_too_old.hint": (
        "use Portainer 2.33.5 LTS or 2.36 or newer (portainer/agent and portainer/portainer-ce) in the panel's "
        'compose file, or let the engine accept older clients: `"min-api-version": "{client}"` in '
        "/etc/docker/daemon.json and restart docker"
    ),
    "diagnose.nftables": (
        "{node}'s engine uses the nftables firewall backend, which swarm mode cannot use: overlay networks and "
        "published ports do not work there"
    ),
    "diagnose.nftables.hint": (
        'keep iptables on swarm nodes: remove `"firewall-backend": "nftables"` from /etc/docker/daemon.json on '
        "{node} and restart docker"
    ),
    "blocked.unreachable": "not checked: {node} cannot be reached ({reason})",
    "blocked.unreachable.hint": "check the address, user and key of {node} in the inventory",
    "blocked.unreadable": "not checked: the state of {node} could not be read ({reason})",
    "blocked.unreadable.hint": "check the address, user and key of {node} in the inventory",
    "blocked.no_docker": "not checked: docker does not answer on {node}",
    "blocked.no_docker.hint": "fix stage init first",
    "blocked.no_swarm": "not checked: there is no swarm on {node}",
    "blocked.no_swarm.hint": "first `docker swarm init` on {node}",
    "blocked.service": "not checked: there is no service {service}",
    "blocked.service.hint": "deploy its stack first",
    "blocked.network": "not checked: there is no network {network}",
    "blocked.network.hint": "create it first (stage network)",
    "blocked.no_task": "not checked: {service} runs no task",
    "blocked.no_task.hint": "get {service} running first (stage stacks)",
    "blocked.no_gateway_on": "not checked: no gateway runs on {node}",
    "blocked.no_gateway_on.hint": "get edge_gateway running on {node} first",
    "blocked.db_unhealthy": "not checked: the db is not healthy ({health})",
    "blocked.db_unhealthy.hint": "fix storage_db first",
    "blocked.one_php_node": "not checked: php-fpm runs on {nodes} only",
    "blocked.one_php_node.hint": "spread php-fpm over the nodes first (stage stacks)",
    "blocked.overlay": "not checked: the overlay loses packets: {pairs}",
    "blocked.overlay.hint": "fix the connection between the nodes first (stage connectivity)",
    "blocked.template": "not checked: the php-fpm hostname '{template}' does not show the node",
    "blocked.template.hint": "restore the lesson's hostname template first (stage stacks)",
    "blocked.no_small_pings": "not checked: small packets do not cross between the nodes either",
    "blocked.no_small_pings.hint": "fix the connection between the nodes first (the check above)",
    "not_applicable.one_node": "does not apply to a one-node cluster",
    "not_applicable.one_node.hint": "-",
    "error": "the check could not run: {reason}",
    "error.hint": "check access to the nodes",
    # -- the gradebook's page ---------------------------------------------------------------------------------------
    "book.title": "Gradebook",
    "book.roster": "roster",
    "book.rubric": "rubric",
    "book.graded": "graded",
    "book.name": "name",
    "book.total": "total",
    "book.status": "status",
    "book.stage": "stage",
    "book.check": "check",
    "book.outcome": "outcome",
    "book.points": "points",
    "book.detail": "what is wrong → what to do",
    "book.failed": "failed",
    "book.blocked": "not checked",
    "book.all_passed": "Every check passed.",
    "book.passed_list": "Checks passed",
    "book.students": "students",
    "book.average": "class average",
    # -- the dashboard's, the class board's and the panel's pages (served to their scripts as JSON) --------------------
    "page.cluster": "Cluster",
    "page.overlay": "Overlay network",
    "page.lesson": "The lesson's stages",
    "page.part": "part",
    "page.waiting": "Reading the cluster…",
    "page.disconnected": "Lost the dashboard: reconnecting…",
    "page.live": "updated",
    "page.reading": "reading…",
    "page.round": "refresh",
    "page.seconds": "s",
    "page.every": "every",
    "page.manager": "manager",
    "page.worker": "worker",
    "page.leader": "leader",
    "page.engine": "Docker",
    "page.labels": "labels",
    "page.unreachable": "unreachable",
    "page.not_in_swarm": "not in the swarm",
    "page.not_in_inventory": "not in the inventory",
    "page.page": "page",
    "page.posts": "posts",
    "page.host": "Host",
    "page.port": "port",
    "page.health": "health",
    "page.previous": "before",
    "page.unassigned": "No node",
    "page.no_tasks": "no tasks",
    "page.exit": "exit code",
    "page.stale": "the read failed; showing the last good one",
    "page.services": "services",
    "page.running": "running",
    "page.no_network": "There is no lemp-overlay network: stage network creates it.",
    "page.ping_ok": "ping passes",
    "page.ping_mtu": "small packets pass, large ones (1400 B) do not",
    "page.ping_fail": "ping fails",
    "page.resolves": "resolves to",
    "page.dnsrr": "DNS round-robin",
    "page.vip": "VIP",
    "page.pages": "Node pages",
    "page.evidence": "evidence",
    "page.passed": "passed",
    "page.failed": "failed",
    "page.blocked": "blocked",
    "page.not_applicable": "not applicable",
    "page.n_passed": "passed",
    "page.n_failed": "failed",
    "page.n_blocked": "blocked",
    "page.n_not_applicable": "not applicable",
    "page.s": "s",
    "page.min": "min",
    "page.h": "h",
    "page.d": "d",
    "page.ago": "ago",
    "page.board": "Gradebook",
    "page.roster": "roster",
    "page.rubric": "rubric",
    "page.graded": "graded",
    "page.students": "students",
    "page.average": "class average",
    "page.name": "name",
    "page.total": "total",
    "page.status": "status",
    "page.grading": "grading",
    "page.not_graded": "not graded yet",
    "page.close": "Close",
    "page.all_passed": "Every check of this stage passed.",
    "page.stage": "stage",
    "page.points": "points",
    "page.no_checks": "No checks.",
    "page.all_stages": "all stages",
    "page.answers": "answers",
    "page.given": "answer",
    "page.no_answers": "No answers handed in.",
    "page.answers_refused": "answers not taken",
    "page.same_cause": "for the same reason as above",
    "page.stage.init": "the swarm on the manager",
    "page.stage.join": "workers in the swarm",
    "page.stage.network": "the lemp-overlay network",
    "page.stage.sync": "the lesson's files on every node",
    "page.stage.stacks": "stacks edge, core, storage",
    "page.stage.labels": "node labels",
    "page.stage.placement": "placement by labels",
    "page.stage.vip": "service names in DNS",
    "page.stage.connectivity": "traffic between nodes",
    "page.stage.panel": "the Portainer panel",
    "page.stage.pages": "the page on every node",
    "page.stage.teardown": "stacks removed",
    "page.panel.stacks": "Stacks",
    "page.panel.services": "Services",
    "page.panel.containers": "Containers",
    "page.panel.volumes": "Volumes",
    "page.panel.visualiser": "Cluster visualiser",
    "page.panel.waiting": "Reading the cluster through the agents…",
    "page.panel.logout": "Log out",
    "page.panel.readonly": (
        "The panel reads the cluster through the portainer_agent agents. On the Services tab, as in Portainer, you "
        "can change the replicas, update the image and remove a service; each change asks first."
    ),
    "page.panel.actions": "Manage",
    "page.panel.scale": "Scale",
    "page.panel.update": "Update image",
    "page.panel.remove": "Remove",
    "page.panel.confirm_scale": "Change the replicas",
    "page.panel.confirm_image": "Update the image",
    "page.panel.confirm_remove": "Remove the service",
    "page.panel.apply": "Confirm",
    "page.panel.cancel": "Cancel",
    "page.panel.sending": "Sending to the manager's agent…",
    "page.panel.planning": "Working out what happens…",
    "page.panel.name": "Name",
    "page.panel.stack": "Stack",
    "page.panel.mode": "Mode",
    "page.panel.image": "Image",
    "page.panel.replicas": "Replicas (running/wanted)",
    "page.panel.placement": "Placement constraints",
    "page.panel.nodes": "Nodes",
    "page.panel.ports": "Ports",
    "page.panel.state": "State",
    "page.panel.service": "Service",
    "page.panel.started": "Started",
    "page.panel.node": "Node",
    "page.panel.driver": "Driver",
    "page.panel.used_by": "Used by",
    "page.panel.logs": "Logs",
    "page.panel.none": "none",
    "page.panel.no_stacks": "No stacks.",
    "page.panel.no_services": "No services.",
    "page.panel.no_containers": "No containers.",
    "page.panel.no_volumes": "No volumes.",
    "page.panel.close": "Close",
    "page.panel.empty_log": "The log is empty.",
    "page.panel.loading": "Reading the log…",
    # -- the panel's forms (its login and first visit) --------------------------------------------------------------
    "form.title": "Swarm panel (the lab's stand-in for Portainer)",
    "form.setup": "Create the administrator user",
    "form.login": "Log in",
    "form.setup_note": (
        "The panel's first visit: choose the administrator's name and password (at least {min} characters). Only a "
        "salted hash of the password is kept, in the portainer_data volume."
    ),
    "form.username": "Username",
    "form.password": "Password",
    "form.confirm": "Confirm the password",
    "form.create": "Create user",
    "form.enter": "Log in",
    "form.bad_username": "A name of up to 64 letters, digits, dots, dashes or underscores.",
    "form.short_password": "The password is shorter than {min} characters.",
    "form.mismatch": "The passwords differ.",
    "form.throttled": "Too many wrong attempts for this name or from this address: wait a little and try again.",
    "form.timed_out": (
        "No administrator was created in the 5 minutes after the panel started, and the first visit's form is closed, "
        "as Portainer closes its own. Restart the panel (docker service update --force portainer_portainer) and create "
        "the administrator within 5 minutes."
    ),
    "form.wrong": "Wrong username or password.",
    "form.exists": "The administrator exists already: log in.",
    # -- the panel's changes on its Services tab (frontends/panel/manage.py) -----------------------------------------
    "magic.panel_first": (
        "the panel was not opened in this kernel yet: run %panel first (it makes the administrator, whose password "
        "stays in the kernel's memory only)"
    ),
    "magic.panel_scale": "--scale SERVICE=COUNT, e.g. --scale core_php-fpm=2: {usage}",
    "magic.panel.confirm": "Scale: the panel says what will happen and waits for a confirmation",
    "magic.panel.scaled": "after the confirmation: the services, their replicas converged",
    "manage.no_read": "The panel has not read the cluster yet: wait for the next read.",
    "manage.no_action": "The panel cannot '{action}': it scales, updates the image and removes a service.",
    "manage.no_service": "No service {service} in the panel's last read of the cluster (removed already?).",
    "manage.global": (
        "{service} is a global service (mode: global): one task on each node its placement allows, no replicas to "
        "change."
    ),
    "manage.anywhere": "no constraint",
    "manage.nowhere": "no node fits, the tasks stay Pending",
    "manage.even": "{count} on each of {nodes}",
    "manage.uneven": "{low} or {high} on each of {nodes}",
    "manage.scale": (
        "Service {service}: {old} replicas now, {new} after (as `docker service scale {service}={new}`). "
        "Placement {constraints}: {spread}."
    ),
    "manage.away": (
        "The lesson's stack file asks for {wanted}: the replicas check fails until the stack is deployed again "
        "(`./up.sh {stack}` in lemp2 or `swarmlab lesson run --part 2`)."
    ),
    "manage.dnsrr": (
        "php-fpm is in dnsrr mode: the {gateway} gateways learnt its tasks' addresses when they started and know no "
        "new task until they restart (update {gateway} to its own image)."
    ),
    "manage.no_image": (
        "Not every node {service} may run on holds {image}: with no registry its tasks could not start there."
    ),
    "manage.image": (
        "Every task of {service} ({count}) is replaced, {parallelism} at a time ({order}), by one of image {image} "
        "(as `docker service update --image {image} {service}`). The next `docker stack deploy` sets the stack "
        "file's image again."
    ),
    "manage.restart": (
        "The same image {image}: every task of {service} ({count}) is restarted, {parallelism} at a time ({order}), "
        "a rolling restart (as `docker service update --force {service}`)."
    ),
    "manage.remove": (
        "Service {service} is removed (`docker service rm {service}`): its tasks ({count}: {where}) stop, stack "
        "{stack} goes on without it; its volumes and networks stay."
    ),
    "manage.redeploy": "To bring it back: `./up.sh {stack}` in the lesson's folder (docker stack deploy).",
    "manage.self.portainer_portainer": (
        "This is the panel itself: the page stops answering until the portainer stack is deployed again."
    ),
    "manage.self.portainer_agent": "The panel reads the cluster through these agents: without them it sees nothing.",
    "manage.done": "{service}: Docker took the change and the cluster converges: watch the lists and the visualiser.",
    "manage.failed": "{service}: Docker refused: {why}",
    "manage.token": "A form without this session's token: reload the page and try again.",
    # -- the notebooks' magics --------------------------------------------------------------------------------------
    "magic.no_cluster": "no cluster chosen: run the notebook's first cell (%cluster)",
    "magic.missing": "arguments missing: {usage}",
    "magic.no_value": "{name} without a value: {usage}",
    "magic.page_failed": "http://{node}{path}: {why}; check that the edge stack runs (notebook 04)",
    "magic.arguments": "arguments not understood {given}: {usage}",
    "magic.inventory": "inventory {path}",
    "magic.lab_starting": (
        'The lab "{lab}" does not run: bringing it up (swarmlab lab up --lab {lab} --nodes {nodes}); the first '
        "time takes a few minutes…"
    ),
    "magic.lab": 'the lab "{lab}"',
    "magic.cluster": "Cluster: {where}; nodes: {nodes} (manager: {manager})",
    "magic.command_failed": "the command on {node} exited with {status}: see its output above",
    "magic.env_name": "--env {name}: give the name of a Python variable, e.g. php_ip",
    "magic.env_missing": "the notebook has no variable {name}: run the cell that sets it",
    "magic.cell_failed": (
        "the command on {node} exited with {status}: the cell stopped there (set -e), see its output above"
    ),
    "magic.joined_already": "{worker} is in the swarm already",
    "magic.not_manager": "{manager} is not the swarm's manager: run notebook 01_init first",
    "magic.one_step": "one step at a time: {usage} (given: {given})",
    "magic.seconds": "--timeout {timeout}: give a number of seconds ({usage})",
    "magic.not_deployed": "{service}: not deployed",
    "magic.failing": " failing",
    "magic.running": " running",
    "magic.not_read": "not read yet",
    "magic.overlay_wait": "overlay: every node sees every php-fpm task",
    "magic.overlay_done": "overlay: every node sees every php-fpm task and reaches it",
    "magic.stages": "stages",
    "magic.part_or_lang": "unknown part or language ({part}, {lang}): {usage}",
    "magic.no_stage": "part {part} has no stage {stages}: {usage}",
    "magic.checking": "checking: {stages}",
    "magic.stage_failed": "stage {stages} does not pass: fix it as the hints in the table say and run the cell again",
    "magic.pages_head": "page|HTTP|Host (php-fpm)|posts",
    "magic.no_arguments": "%panel takes no arguments: {given}",
    "magic.waited_in_vain": "waited in vain: {what}",
    "magic.tasks_fail": "{service}: tasks fail on {nodes} ({errors})",
    "magic.panel.setup": "first visit: the panel asks for an administrator",
    "magic.panel.login": "the administrator exists: the panel asks to log in (only you know the password)",
    "magic.panel.stacks": "stacks",
    "magic.panel.services": "services: replicas and placement",
    "magic.panel.containers": "containers per node, each with its log",
    "magic.panel.volumes": "volumes",
    "magic.panel.visualiser": "the cluster's visualiser",
    # -- the lesson's questions, answered from the student's own cluster (checks/questions.py) ----------------------
    "question.manager_id": "The ID of the manager node (the line docker node ls marks with *)",
    "question.manager_id.where": "on the manager: docker node ls, the first column of the line marked with *",
    "question.db_node": "The node that runs storage_db",
    "question.db_node.where": "on the manager: docker service ps storage_db, the NODE column of the running task",
    "question.vip": "The virtual IP (VIP) of core_php-fpm in lemp-overlay",
    "question.vip.where": "on the manager: docker inspect service core_php-fpm, Endpoint.VirtualIPs, field Addr",
    "question.ping_php_fpm": "The address `ping php-fpm` answers from inside a gateway container",
    "question.ping_php_fpm.where": (
        "on a node: docker exec -it <its edge_gateway container> ping -c 2 php-fpm, the address in brackets"
    ),
    "question.container_ip": "The address of one container of the manager in lemp-overlay",
    "question.container_ip.where": (
        "on the manager: docker network inspect lemp-overlay, section Containers, an IPv4Address"
    ),
    "question.php_fpm_hostnames": "The php-fpm hostnames the page shows as you refresh it (comma-separated)",
    "question.php_fpm_hostnames.where": "open http://<a node>/ and refresh it: the line «Хост - ...» changes",
    "question.gateway_nodes": "The nodes the labels put edge_gateway on (comma-separated)",
    "question.gateway_nodes.where": "on the manager: docker service ps edge_gateway, the NODE column",
    "question.php_fpm_nodes": "The nodes the labels put core_php-fpm on (comma-separated)",
    "question.php_fpm_nodes.where": "on the manager: docker service ps core_php-fpm, the NODE column",
    "question.right": "right",
    "question.moved": "right for the cluster's recent history: the task has moved or been replaced since",
    "question.wrong": "not what this cluster shows",
    "question.unanswered": "not answered yet",
    "question.not_among": "{value} is not among what this cluster shows",
    "question.too_few": "{count} of them: refresh the page until at least {wanted} different hostnames have appeared",
    "question.nodes.some": "those run it, but not only those: another node runs a task of it too",
    "question.manager_id.prefix": "the start of the ID only: give it whole, as docker node ls shows it",
    "question.manager_id.other_node": "that is the ID of {node}: the manager's line is the one marked with *",
    "question.manager_id.hostname": "that is the hostname: the question asks for the node's ID (the first column)",
    "question.manager_id.cluster": "that is the swarm's cluster ID (docker info), not the manager node's ID",
    "question.db_node.id": "right node, given by its ID: the question asks for its name, as the NODE column shows it",
    "question.db_node.hostname": (
        "that is the db container's hostname (from its template db-{{{{.Node.Hostname}}}}): give the node's name"
    ),
    "question.db_node.other": "storage_db runs no task on that node now",
    "question.vip.dnsrr": (
        "core_php-fpm runs with endpoint_mode dnsrr here: it has no VIP, php-fpm resolves to its tasks directly"
    ),
    "question.vip.task": (
        "that is the address of a php-fpm container (task {task} on {node}): the VIP belongs to no container, it is "
        "the service's load balancer"
    ),
    "question.vip.endpoint": "that is lemp-overlay-endpoint, the load balancer of {node}, not the service's VIP",
    "question.vip.other_vip": "that is the VIP of {service}, not of core_php-fpm",
    "question.vip.other_task": "that is the address of a container of {service} (on {node}), not a VIP",
    "question.ping_php_fpm.task": (
        "that is one php-fpm container's address (on {node}): with endpoint_mode vip the name php-fpm resolves to "
        "the VIP, which is no container's"
    ),
    "question.ping_php_fpm.endpoint": "that is lemp-overlay-endpoint of {node}: the name php-fpm never resolves to it",
    "question.container_ip.endpoint": (
        "that is lemp-overlay-endpoint, the network's load balancer on {node}: the question asks for a container"
    ),
    "question.container_ip.elsewhere": (
        "that container runs on {node}: docker network inspect on the manager shows only the manager's containers"
    ),
    "question.container_ip.vip": "that is core_php-fpm's VIP, which no container has: the lesson's very point",
    "question.php_fpm_hostnames.gateway": "{value} is nginx's hostname (edge_gateway): the page shows php-fpm's",
    "question.php_fpm_hostnames.node": "{value} is a node: the page shows the php-fpm container's hostname",
    "answer.right": "right",
    "answer.near": "near miss",
    "answer.wrong": "wrong",
    "answer.not_applicable": "not applicable",
    "answer.blocked": "not judged",
    "answer.unanswered": "not answered",
    "answer.kept": "kept in {path}",
    "answer.history": " (a task that moved or was replaced since you answered still counts)",
    "answer.head": "question|part|stage|state|answer|where to find it",
    "integrity.answers_from": "answers given on {other}'s swarm",
    "integrity.answers_elsewhere": "answers given on another swarm (cluster ID {cluster}), not this one",
    "book.questions": "questions",
    "magic.answer": "%answer QUESTION VALUE [--part 2] [--lang ru|en] (questions: {ids})",
    "magic.answer_missed": "{outcome}: {message}; {hint}",
}
