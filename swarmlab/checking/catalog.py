"""What a check tells a student, in Russian (the lesson's language) and English.

Each entry: the message (what is wrong, naming the node), the hint (what to do,
in the lesson's own commands) and the lesson step that fixes it. Placeholders
are filled from the evidence the check found. TITLES names every check.
"""


def entry(step, ru, en):
    return {"step": step, "ru": ru, "en": en}


REACH_RU, REACH_EN = "проверьте адрес, пользователя и ключ узла {node} в инвентаре", \
    "check the address, user and key of {node} in the inventory"

CATALOG = {
    # init
    "init.unreachable": entry("init", ("{node} недоступна: {reason}", REACH_RU),
                              ("{node} cannot be reached: {reason}", REACH_EN)),
    "init.no_docker": entry(
        "init", ("Docker не отвечает на {node} ({reason})", "установите Docker Engine на {node} по инструкции урока"),
        ("docker does not answer on {node} ({reason})", "install Docker Engine on {node} as the lesson says")),
    "init.swarm_inactive": entry(
        "init", ("на {node} swarm в состоянии «{state}»", "выполните `docker swarm init` на {node}"),
        ("swarm is {state} on {node}", "run `docker swarm init` on {node}")),
    "init.not_leader": entry(
        "init", ("{node} не является менеджером-лидером (роль: {role})",
                 "инициализируйте кластер на {node}: `docker swarm leave --force`, затем `docker swarm init`"),
        ("{node} is not the Leader manager (role: {role})",
         "initialise the swarm on {node}: `docker swarm leave --force`, then `docker swarm init`")),
    # join
    "join.not_joined": entry(
        "join", ("не в кластере: {nodes}", "выполните на {nodes} команду `docker swarm join --token ...` из вывода "
                                           "`docker swarm init`"),
        ("not in the swarm: {nodes}", "run the `docker swarm join --token ...` printed by `docker swarm init` on {nodes}")),
    "join.pending": entry(
        "join", ("{node} не может войти в кластер: swarm в состоянии pending ({error})",
                 "откройте порт 2377/tcp менеджера для worker-нод (группа безопасности/файрвол облака) и проверьте "
                 "адрес в `docker swarm join`"),
        ("{node} cannot join the swarm: its swarm is pending ({error})",
         "open the manager's port 2377/tcp to the workers (the cloud's security group or firewall) and check the "
         "address in `docker swarm join`")),
    "join.extra": entry(
        "join", ("в кластере лишние ноды: {nodes}", "удалите их с manager: `docker node rm {nodes}`"),
        ("the swarm has nodes the inventory does not list: {nodes}", "remove them on manager: `docker node rm {nodes}`")),
    "join.stale": entry(
        "join", ("{node} числится в кластере дважды: старая запись {ids} в состоянии Down",
                 "удалите устаревшую запись на manager: `docker node rm {ids}`"),
        ("{node} is listed twice: a stale entry {ids} is Down", "remove the stale entry on manager: `docker node rm {ids}`")),
    "join.down": entry(
        "join", ("{node} в состоянии Down: «{message}»",
                 "проверьте, что ВМ {node} запущена, Docker на ней работает и порты 2377/tcp, 7946/tcp+udp открыты "
                 "между ВМ"),
        ("{node} is Down: \"{message}\"",
         "check that the VM {node} runs, docker runs on it and ports 2377/tcp, 7946/tcp+udp are open between the VMs")),
    "join.not_ready": entry(
        "join", ("{node} в состоянии {state}", "проверьте Docker на {node}; если нода пересоздана, подключите её заново "
                                               "(`docker swarm join`)"),
        ("{node} is {state}", "check docker on {node}; if it was rebuilt, join it again (`docker swarm join`)")),
    "join.not_active": entry(
        "join", ("{node} в режиме {availability}: задачи на неё не попадут",
                 "верните ноду в работу: `docker node update --availability active {node}`"),
        ("{node} is {availability}: no task will run there",
         "put it back: `docker node update --availability active {node}`")),
    "join.roles": entry(
        "join", ("роли нод не как в уроке: {roles}", "manager — единственный менеджер (Leader), остальные — worker"),
        ("node roles differ from the lesson: {roles}", "manager is the only manager (Leader), the others are workers")),
    "join.second_manager": entry(
        "join", ("в кластере {count} менеджера ({nodes}): если один из двух остановится, кластер потеряет кворум "
                 "и перестанет управляться",
                 "оставьте одного менеджера: `docker node demote {extra}` (или три, для отказоустойчивости)"),
        ("the swarm has {count} managers ({nodes}): with two, losing either one loses the quorum and the swarm "
         "can no longer be managed",
         "keep one manager: `docker node demote {extra}` (or three, to survive the loss of one)")),
    "join.worker_unreachable": entry("join", ("{node} недоступна: {reason}", REACH_RU),
                                     ("{node} cannot be reached: {reason}", REACH_EN)),
    # network
    "network.missing": entry(
        "network", ("сети lemp-overlay нет", "создайте её на manager: `docker network create -d overlay lemp-overlay`"),
        ("there is no network lemp-overlay", "create it on manager: `docker network create -d overlay lemp-overlay`")),
    "network.driver": entry(
        "network", ("lemp-overlay создана с драйвером {driver} (область {scope}), а нужен overlay (swarm)",
                    "пересоздайте: `docker network rm lemp-overlay && docker network create -d overlay lemp-overlay`"),
        ("lemp-overlay has driver {driver} (scope {scope}), the lesson needs overlay (swarm)",
         "recreate it: `docker network rm lemp-overlay && docker network create -d overlay lemp-overlay`")),
    "network.from_stack": entry(
        "network", ("lemp-overlay создана стеком {stack}, а в уроке она внешняя (external: true)",
                    "удалите стек и создайте сеть вручную: `docker network create -d overlay lemp-overlay`"),
        ("lemp-overlay was made by stack {stack}, the lesson declares it external",
         "remove the stack and create the network by hand: `docker network create -d overlay lemp-overlay`")),
    # sync
    "sync.missing": entry(
        "sync", ("папки урока {path} нет на: {nodes}", "скопируйте папку level6 на каждую ноду в тот же путь, что на "
                                                        "manager (в уроке: /opt/docker-lessons/level6)"),
        ("the lesson's folder {path} is missing on: {nodes}",
         "copy the folder level6 to every node, at the same path as on manager (the lesson's: /opt/docker-lessons/level6)")),
    "sync.differs": entry(
        "sync", ("level6 на {node} отличается от копии на {reference}: {files}",
                 "скопируйте level6 заново на {node}: контейнеры каждой ноды монтируют файлы своей ноды"),
        ("level6 on {node} differs from the copy on {reference}: {files}",
         "copy level6 to {node} again: each node's containers mount that node's files")),
    # stacks
    "stacks.missing": entry(
        "deploy", ("не развернуты стеки: {stacks}", "в папке compose урока: {commands}"),
        ("stacks not deployed: {stacks}", "in the lesson's compose folder: {commands}")),
    "stacks.services": entry(
        "deploy", ("в стеке {stack} сервисы {services}, а в уроке один: {expected}", "разверните стек из файла урока заново"),
        ("stack {stack} holds {services}, the lesson has one: {expected}", "deploy the stack again from the lesson's file")),
    "stacks.mode": entry(
        "deploy", ("{service} в режиме {mode}, а в уроке {expected}", "разверните стек из файла урока заново"),
        ("{service} runs in {mode} mode, the lesson uses {expected}", "deploy the stack again from the lesson's file")),
    "stacks.gateway_tasks": entry(
        "deploy", ("edge_gateway работает не на всех нодах (нет на: {nodes})",
                   "выясните причину: `docker service ps --no-trunc edge_gateway` и `docker service logs edge_gateway`"),
        ("edge_gateway does not run on every node (missing on: {nodes})",
         "find out why: `docker service ps --no-trunc edge_gateway` and `docker service logs edge_gateway`")),
    "stacks.gateway_upstream": entry(
        "deploy", ("edge_gateway не запускается на: {nodes} — nginx не находит php-fpm (host not found in upstream)",
                   "разверните стек core: `docker stack deploy -c ./core.yaml --with-registry-auth core`"),
        ("edge_gateway cannot start on: {nodes}: nginx cannot find php-fpm (host not found in upstream)",
         "deploy the core stack: `docker stack deploy -c ./core.yaml --with-registry-auth core`")),
    "stacks.port": entry(
        "deploy", ("edge_gateway публикует порт 80 как {ports}, а в уроке mode: host",
                   "верните в edge.yaml `mode: host` и разверните edge заново"),
        ("edge_gateway publishes port 80 as {ports}, the lesson uses mode: host",
         "put `mode: host` back in edge.yaml and deploy edge again")),
    "stacks.replicas": entry(
        "deploy", ("у {service} {replicas} реплик в описании, а в уроке {expected}",
                   "`docker service scale {service}={expected}` или разверните стек заново"),
        ("{service} wants {replicas} replicas, the lesson has {expected}",
         "`docker service scale {service}={expected}` or deploy the stack again")),
    "stacks.running": entry(
        "deploy", ("{service}: запущено {running} из {wanted}",
                   "выясните причину: `docker service ps --no-trunc {service}` и `docker service logs {service}`"),
        ("{service}: {running} of {wanted} running",
         "find out why: `docker service ps --no-trunc {service}` and `docker service logs {service}`")),
    "stacks.spread": entry(
        "deploy", ("{service} распределён неравномерно: {spread}",
                   "перераспределите задачи: `docker service update --force {service}`"),
        ("{service} is spread unevenly: {spread}", "rebalance its tasks: `docker service update --force {service}`")),
    "stacks.pinned": entry(
        "deploy", ("{service} привязан ограничением {constraints}: {spread}",
                   "уберите ограничение: `docker service update --constraint-rm '{constraints}' {service}`"),
        ("{service} is pinned by the constraint {constraints}: {spread}",
         "remove it: `docker service update --constraint-rm '{constraints}' {service}`")),
    "stacks.db_health": entry(
        "deploy", ("storage_db не здоров: {health}", "смотрите `docker service logs storage_db` и healthcheck в storage.yaml"),
        ("storage_db is not healthy: {health}", "read `docker service logs storage_db` and the healthcheck in storage.yaml")),
    "stacks.network": entry(
        "deploy", ("сервисы не подключены к lemp-overlay: {services}", "укажите сеть lemp-overlay в compose-файле и "
                                                                       "разверните заново"),
        ("services not attached to lemp-overlay: {services}", "list lemp-overlay in the compose file and deploy again")),
    "stacks.hostname": entry(
        "deploy", ("шаблон hostname у {service}: «{actual}» не показывает ноду, на которой работает задача",
                   "верните hostname из файла урока («{expected}») и разверните заново"),
        ("{service} hostname template '{actual}' does not show the node that runs the task",
         "restore the lesson's hostname ('{expected}') and deploy again")),
    # vip
    "vip.resolves": entry(
        "deploy", ("в контейнере gateway на {node} имя php-fpm даёт {got}, ожидалось {expected} (endpoint mode {mode})",
                   "проверьте `docker inspect service core_php-fpm` (Endpoint) и сеть lemp-overlay"),
        ("in the gateway on {node}, php-fpm resolves to {got}, expected {expected} (endpoint mode {mode})",
         "look at `docker inspect service core_php-fpm` (Endpoint) and the network lemp-overlay")),
    "vip.tasks": entry(
        "deploy", ("в контейнере gateway на {node} имя tasks.php-fpm даёт {got}, а адреса задач {expected}",
                   "проверьте, что все задачи core_php-fpm подключены к lemp-overlay"),
        ("in the gateway on {node}, tasks.php-fpm resolves to {got}, the tasks' addresses are {expected}",
         "check that every core_php-fpm task is attached to lemp-overlay")),
    # connectivity
    "connectivity.ping": entry(
        "network", ("из gateway на {node} не пингуется php-fpm {target} на ноде {other}",
                    "проверьте overlay-сеть между нодами (порты 4789/udp, 7946/tcp+udp, 2377/tcp между ВМ)"),
        ("the gateway on {node} cannot ping php-fpm {target} on {other}",
         "check the overlay between nodes (ports 4789/udp, 7946/tcp+udp and 2377/tcp open between the VMs)")),
    # pages: what a browser would show
    "pages.refused": entry(
        "deploy", ("http://{node}/ — браузер покажет «соединение отклонено»: на порту 80 ноды {node} никто не слушает",
                   "проверьте, что edge_gateway работает на {node}: `docker service ps edge_gateway`"),
        ("http://{node}/: a browser would say \"connection refused\": nothing listens on port 80 of {node}",
         "check that edge_gateway runs on {node}: `docker service ps edge_gateway`")),
    "pages.no-answer": entry(
        "deploy", ("http://{node}/ — браузер будет ждать и сдастся: {address}:80 не отвечает вовсе",
                   "откройте порт 80/tcp ноды {node} в файрволе облака и проверьте, что ВМ запущена"),
        ("http://{node}/: a browser would wait and give up: {address}:80 does not answer at all",
         "open port 80/tcp of {node} in the cloud's firewall and check that the VM runs")),
    "pages.slow-answer": entry(
        "deploy", ("http://{node}/ — браузер будет ждать и сдастся: nginx принял соединение, но php-fpm не ответил",
                   "смотрите журнал nginx: `docker service logs edge_gateway`, и сеть между нодами (`swarmlab check "
                   "--stage connectivity`)"),
        ("http://{node}/: a browser would wait and give up: nginx accepted the connection but php-fpm never answered",
         "read nginx's log (`docker service logs edge_gateway`) and the network between nodes (`swarmlab check "
         "--stage connectivity`)")),
    "pages.reset": entry(
        "deploy", ("http://{node}/ — браузер покажет «соединение сброшено»", "смотрите `docker service logs edge_gateway`"),
        ("http://{node}/: a browser would say \"connection reset\"", "read `docker service logs edge_gateway`")),
    "pages.unreachable": entry(
        "deploy", ("http://{node}/ — до {address} нет маршрута с этой машины", "проверьте адрес ноды {node} в инвентаре"),
        ("http://{node}/: {address} cannot be reached from this machine", "check the address of {node} in the inventory")),
    "pages.unknown-host": entry(
        "deploy", ("http://{node}/ — имя {address} не разрешается", "проверьте адрес ноды {node} в инвентаре"),
        ("http://{node}/: the name {address} does not resolve", "check the address of {node} in the inventory")),
    "pages.bad_gateway": entry(
        "deploy", ("http://{node}/ отвечает {status}: nginx не может достучаться до php-fpm",
                   "смотрите журнал nginx (`docker service logs edge_gateway`) и `docker service ps core_php-fpm`"),
        ("http://{node}/ answers {status}: nginx cannot reach php-fpm",
         "read nginx's log (`docker service logs edge_gateway`) and `docker service ps core_php-fpm`")),
    "pages.status": entry(
        "seed_data", ("http://{node}/ отвечает {status}: {text}", "проверьте edge_gateway на {node}: `docker service ps "
                                                                  "edge_gateway`"),
        ("http://{node}/ answers {status}: {text}", "check edge_gateway on {node}: `docker service ps edge_gateway`")),
    "pages.db_down": entry(
        "deploy", ("http://{node}/ отвечает {status}: {text}",
                   "база данных недоступна: разверните стек storage и дождитесь healthy (`docker service ps storage_db`)"),
        ("http://{node}/ answers {status}: {text}",
         "the database is unreachable: deploy the storage stack and wait until it is healthy (`docker service ps "
         "storage_db`)")),
    "pages.no_posts": entry(
        "seed_data", ("на странице {node} нет постов", "откройте http://{address}/init.php (скрипт инициализации)"),
        ("the page of {node} lists no posts", "open http://{address}/init.php (the init script)")),
    "pages.differ": entry(
        "seed_data", ("ноды показывают разные посты: {detail}", "у всех нод должна быть одна БД (storage_db ×1)"),
        ("nodes show different posts: {detail}", "every node must use the one database (storage_db x1)")),
    "pages.balance": entry(
        "deploy", ("за {count} запросов к {node} имя хоста php-fpm было только: {hosts}",
                   "проверьте балансировку: php-fpm работает на {spread}; endpoint mode {mode}"),
        ("over {count} requests to {node} the php-fpm hostname was only: {hosts}",
         "check the load balancing: php-fpm runs on {spread}; endpoint mode {mode}")),
    # teardown
    "teardown.stacks": entry(
        "teardown", ("стеки урока ещё есть: {stacks}", "`docker stack rm {stacks}`"),
        ("lesson stacks remain: {stacks}", "`docker stack rm {stacks}`")),
    "teardown.volume": entry(
        "teardown", ("том {volume} остался на: {nodes}", "на этих нодах: `docker volume rm {volume}`"),
        ("the volume {volume} remains on: {nodes}", "on those nodes: `docker volume rm {volume}`")),
    # part 2: labels, placement, panel
    "labels.missing": entry(
        "labels", ("на {node} нет меток урока: {labels} (сейчас: {actual})",
                   "на manager: `docker node update {flags} {node}`"),
        ("{node} lacks the lesson's labels: {labels} (now: {actual})", "on manager: `docker node update {flags} {node}`")),
    "labels.typo": entry(
        "labels", ("на {node} метка «{found}» вместо «{wanted}»",
                   "исправьте: `docker node update --label-rm {found} --label-add {wanted}=true {node}`"),
        ("{node} carries the label '{found}' instead of '{wanted}'",
         "fix it: `docker node update --label-rm {found} --label-add {wanted}=true {node}`")),
    "labels.wrong_node": entry(
        "labels", ("метка {label} стоит на {node}, а в уроке её там нет", "уберите: `docker node update --label-rm "
                                                                         "{label} {node}`"),
        ("the label {label} is on {node}, where the lesson does not put it",
         "remove it: `docker node update --label-rm {label} {node}`")),
    "placement.constraint": entry(
        "deploy", ("у {service} ограничение {actual}, а в уроке «{expected}»",
                   "добавьте в compose-файл `deploy.placement.constraints: [{expected}]` и разверните стек заново"),
        ("{service} has the constraints {actual}, the lesson's is '{expected}'",
         "put `deploy.placement.constraints: [{expected}]` in the compose file and deploy the stack again")),
    "placement.where": entry(
        "deploy", ("{service} работает на: {actual}, а по меткам должен на: {expected}",
                   "проверьте метки нод (`docker node inspect NODE --format \"{{{{json .Spec.Labels}}}}\"`) и "
                   "ограничение; затем `docker service update --force {service}`"),
        ("{service} runs on: {actual}, its labels say: {expected}",
         "check the nodes' labels (`docker node inspect NODE --format \"{{{{json .Spec.Labels}}}}\"`) and the "
         "constraint; then `docker service update --force {service}`")),
    "panel.missing": entry(
        "deploy", ("стек portainer не развёрнут", "в папке lemp2: `./up.sh portainer` (или `./up.sh` и пункт «все»)"),
        ("the portainer stack is not deployed", "in the lemp2 folder: `./up.sh portainer` (or `./up.sh`, then \"all\")")),
    "panel.agents": entry(
        "deploy", ("агент portainer не работает на: {nodes}", "выясните причину: `docker service ps --no-trunc "
                                                             "portainer_agent`"),
        ("the portainer agent does not run on: {nodes}", "find out why: `docker service ps --no-trunc portainer_agent`")),
    "panel.manager": entry(
        "deploy", ("панель portainer работает на {nodes}, а должна на менеджере", "ограничение в portainer.yaml: "
                                                                                  "`node.role == manager`"),
        ("the portainer panel runs on {nodes}, it belongs on a manager", "the constraint in portainer.yaml: "
                                                                         "`node.role == manager`")),
    "panel.https": entry(
        "deploy", ("https://{node}:9443 — {problem}", "проверьте `docker service ps portainer_portainer` и порт 9443 "
                                                       "в файрволе облака"),
        ("https://{node}:9443: {problem}", "check `docker service ps portainer_portainer` and port 9443 in the "
                                           "cloud's firewall")),
    "panel.ingress_no_ipvs": entry(
        "deploy", ("https://{node}:9443 не открывается ({problem}): порт 9443 опубликован через ingress (routing mesh), "
                   "а ему нужен IPVS, которого нет в ядре {node}",
                   "опубликуйте порты панели в режиме host (LEMP_PUBLISH_MODE=host из /etc/profile.d/swarmlab.sh) и "
                   "разверните стек portainer заново"),
        ("https://{node}:9443 does not open ({problem}): port 9443 is published through the ingress routing mesh, "
         "which needs IPVS, and {node}'s kernel has none",
         "publish the panel's ports in host mode (LEMP_PUBLISH_MODE=host from /etc/profile.d/swarmlab.sh) and deploy "
         "the portainer stack again")),
    # diagnoses of real failures
    "diagnose.bind_source": entry(
        "sync", ("{service} не запускается на {node}: нет пути {path} (bind source path does not exist)",
                 "скопируйте level6 на {node} в тот же путь, что на manager: compose-файл задаёт путь на manager, "
                 "а монтирует его каждая нода"),
        ("{service} cannot start on {node}: {path} does not exist there (bind source path does not exist)",
         "copy level6 to {node} at the same path as on manager: the compose file names a path on manager, and "
         "every node mounts it from its own disk")),
    "diagnose.image_missing": entry(
        "deploy", ("{service} не запускается на {node}: образа {image} там нет, и скачать его нода не может",
                   "загрузите образ на {node} (`docker pull {image}` при доступе к реестру, иначе `docker save`/"
                   "`docker load`) или разверните с `--with-registry-auth` для приватного реестра"),
        ("{service} cannot start on {node}: the image {image} is not there and the node cannot pull it",
         "get the image onto {node} (`docker pull {image}` with registry access, else `docker save`/`docker load`), "
         "or deploy with `--with-registry-auth` for a private registry")),
    "diagnose.port_busy": entry(
        "deploy", ("{service} не запускается на {node}: порт 80 уже занят процессом «{holder}» (address already in use)",
                   "остановите его на {node} (например `systemctl disable --now {holder}`) — порт 80 нужен gateway"),
        ("{service} cannot start on {node}: port 80 is already taken by \"{holder}\" (address already in use)",
         "stop it on {node} (e.g. `systemctl disable --now {holder}`): the gateway needs port 80")),
    "diagnose.port_taken": entry(
        "deploy", ("{service} не получает порт 80: его уже публикует сервис {others} (host-mode port already in use)",
                   "удалите старый стек (`docker stack rm ...`), прежде чем запускать новый"),
        ("{service} cannot get port 80: {others} already publishes it (host-mode port already in use)",
         "remove the old stack (`docker stack rm ...`) before deploying the new one")),
    "diagnose.constraint": entry(
        "labels", ("задачи {service} ждут (Pending): ни одна нода не подходит под {constraints}",
                   "проверьте метки нод (`docker node inspect NODE --format \"{{{{json .Spec.Labels}}}}\"`): их ставят "
                   "`docker node update --label-add ...`"),
        ("{service}'s tasks are Pending: no node satisfies {constraints}",
         "check the nodes' labels (`docker node inspect NODE --format \"{{{{json .Spec.Labels}}}}\"`); they are set "
         "with `docker node update --label-add ...`")),
    "diagnose.constraint_key": entry(
        "labels", ("задачи {service} ждут (Pending): ограничение «{constraint}» не совпадёт ни с одной нодой — "
                   "ключ метки пишется как node.labels.<метка>",
                   "напишите в compose-файле `node.labels.{constraint}` и разверните стек заново"),
        ("{service}'s tasks are Pending: the constraint '{constraint}' matches no node; a label is written "
         "node.labels.<label>", "write `node.labels.{constraint}` in the compose file and deploy the stack again")),
    "diagnose.no_node_available": entry(
        "join", ("задачам {service} некуда встать: ноды недоступны для новых задач (drain или Down)",
                 "верните ноды в работу: `docker node update --availability active NODE`"),
        ("{service}'s tasks have nowhere to go: the nodes are not available for new tasks (drained or Down)",
         "put the nodes back: `docker node update --availability active NODE`")),
    "diagnose.db_unhealthy": entry(
        "deploy", ("storage_db на {node} не здоров ({health}): healthcheck не проходит или БД перезапускается",
                   "читайте журнал БД (`docker service logs storage_db`): частые причины — не задан пароль, том "
                   "инициализирован наполовину"),
        ("storage_db on {node} is not healthy ({health}): its healthcheck fails or it keeps restarting",
         "read the db's log (`docker service logs storage_db`): a missing password or a half-initialised volume "
         "are the usual causes")),
    "diagnose.db_not_started": entry(
        "deploy", ("storage_db ещё не запустил ни одного контейнера", "выясните причину: `docker service ps --no-trunc "
                                                                      "storage_db`"),
        ("storage_db has not started a container on any node yet", "find out why: `docker service ps --no-trunc "
                                                                   "storage_db`")),
    "diagnose.gossip": entry(
        "network", ("{node} отрезана от overlay: NetworkDB нод {others} её не знает (docker network inspect -v: "
                    "Peers), поэтому ни адреса, ни пакеты её задач до них не доходят",
                    "откройте порт 7946/tcp и 7946/udp между ВМ (файрвол/группа безопасности облака) для {node}; если "
                    "задачи только что перезапускались, проверьте ещё раз через минуту: NetworkDB может ещё сходиться"),
        ("{node} is cut off from the overlay: the NetworkDB of {others} does not know it (docker network inspect -v: "
         "Peers), so neither its tasks' addresses nor their packets reach them",
         "open port 7946/tcp and 7946/udp between the VMs (the cloud's firewall or security group), for {node}; if "
         "tasks were restarted just now, check again in a minute: NetworkDB may still be converging")),
    "diagnose.vxlan": entry(
        "network", ("{node} отрезана от overlay: ноды знают друг друга, но пакеты между контейнерами не доходят "
                    "({pairs})", "откройте порт 4789/udp (VXLAN) между ВМ для ноды {node}"),
        ("{node} is cut off from the overlay: the nodes know each other, but packets between containers are lost "
         "({pairs})", "open port 4789/udp (VXLAN) between the VMs, for {node}")),
    "diagnose.vxlan_pairs": entry(
        "network", ("пакеты overlay теряются между нодами: {pairs}", "откройте порт 4789/udp (VXLAN) между ВМ"),
        ("overlay packets are lost between: {pairs}", "open port 4789/udp (VXLAN) between the VMs")),
    "diagnose.mtu": entry(
        "network", ("между {node} и другими нодами проходят малые пакеты, а большие теряются: MTU пути меньше, чем "
                    "нужно overlay ({overlay}+50)",
                    "уменьшите MTU overlay (`docker network create -d overlay --opt com.docker.network.driver.mtu=1400 "
                    "lemp-overlay`) или исправьте MTU канала между ВМ"),
        ("small packets cross between {node} and the other nodes, large ones are lost: the path MTU is below what "
         "the overlay needs ({overlay}+50)",
         "lower the overlay's MTU (`docker network create -d overlay --opt com.docker.network.driver.mtu=1400 "
         "lemp-overlay`) or fix the link's MTU between the VMs")),
    "diagnose.node_down": entry(
        "join", ("{node} в состоянии Down («{message}»): swarm перенёс её задачи, а их старые адреса остались в DNS overlay",
                 "верните {node} в кластер: проверьте, что ВМ и Docker работают и порт 2377/tcp менеджера открыт для неё"),
        ("{node} is Down (\"{message}\"): the swarm moved its tasks away, yet their old addresses stay in the overlay's DNS",
         "bring {node} back: check that the VM and docker run and that the manager's port 2377/tcp is open to it")),
    "diagnose.stale_upstream": entry(
        "deploy", ("gateway на {node} шлёт запросы на адреса php-fpm, которых больше нет ({dead}): nginx узнал их при "
                   "старте", "перезапустите gateway (`docker service update --force edge_gateway`); с VIP (IPVS) "
                             "такого не бывает"),
        ("the gateway on {node} sends requests to php-fpm addresses that no task has any more ({dead}): nginx "
         "resolved them at start", "restart the gateway (`docker service update --force edge_gateway`); with a VIP "
                                   "(IPVS) this cannot happen")),
    "diagnose.no_ipvs": entry(
        "deploy", ("http://{node}/ не работает: php-fpm в режиме vip, а в ядре {node} нет IPVS — "
                   "через виртуальный IP не идёт трафик (новые версии Docker его имя даже не разрешают)",
                   "разверните core и storage с `endpoint_mode: dnsrr` (LEMP_ENDPOINT_MODE=dnsrr) или "
                   "загрузите модуль ядра ip_vs на нодах"),
        ("http://{node}/ does not work: php-fpm runs in vip mode and {node}'s kernel has no IPVS: the virtual IP "
         "carries no traffic (newer Docker engines do not even resolve its name)", "deploy core and storage with `endpoint_mode: dnsrr` "
                                            "(LEMP_ENDPOINT_MODE=dnsrr) or load the ip_vs kernel module on the nodes")),
    "diagnose.ingress_no_ipvs": entry(
        "deploy", ("http://{node}/ не открывается: порт 80 опубликован через ingress (routing mesh), а ему нужен "
                   "IPVS, которого нет в ядре {node}", "опубликуйте порт в режиме host, как в уроке (`mode: host` в "
                                                       "edge.yaml), и разверните edge заново"),
        ("http://{node}/ does not open: port 80 is published through the ingress routing mesh, which needs IPVS, "
         "and {node}'s kernel has none", "publish the port in host mode as the lesson does (`mode: host` in "
                                         "edge.yaml) and deploy edge again")),
    "blocked.page": entry("deploy", ("не проверено: страница {node} не открывается", "сначала добейтесь, чтобы "
                                                                                      "страница открывалась (проверка выше)"),
                          ("not checked: the page of {node} does not open", "get the page to open first (the check "
                                                                            "above)")),
    "diagnose.db_password": entry(
        "deploy", ("http://{node}/: PHP получает «Access denied» от БД, хотя она healthy: том БД создан с другим паролем",
                   "mysqladmin ping проходит и при неверном пароле; удалите стек storage и том storage_db_volume на "
                   "ноде БД и разверните снова (данные будут потеряны)"),
        ("http://{node}/: PHP gets \"Access denied\" from the db although it is healthy: the db volume was initialised "
         "with another password", "mysqladmin ping passes with a wrong password too; remove the storage stack and "
                                  "the volume storage_db_volume on the db's node, then deploy again (the data is lost)")),
    "diagnose.db_moved": entry(
        "deploy", ("на странице {node} нет постов: БД переехала на {db}, где том storage_db_volume новый и пустой; "
                   "данные остались на {others}",
                   "закрепите БД на ноде с данными (часть 2: метка storage и `node.labels.storage == true`) или верните "
                   "её туда"),
        ("the page of {node} lists no posts: the db moved to {db}, whose storage_db_volume is new and empty; the data "
         "stayed on {others}", "pin the db to the node with the data (part 2: the storage label and "
                               "`node.labels.storage == true`) or move it back there")),
    # shared
    "blocked.unreachable": entry(None, ("не проверено: {node} недоступна ({reason})", REACH_RU),
                                 ("not checked: {node} cannot be reached ({reason})", REACH_EN)),
    "blocked.unreadable": entry(None, ("не проверено: состояние {node} не прочитано ({reason})", REACH_RU),
                                ("not checked: the state of {node} could not be read ({reason})", REACH_EN)),
    "blocked.no_docker": entry("init", ("не проверено: Docker не отвечает на {node}", "сначала исправьте этап init"),
                               ("not checked: docker does not answer on {node}", "fix stage init first")),
    "blocked.no_swarm": entry("init", ("не проверено: на {node} нет кластера", "сначала `docker swarm init` на {node}"),
                              ("not checked: there is no swarm on {node}", "first `docker swarm init` on {node}")),
    "blocked.service": entry("deploy", ("не проверено: сервиса {service} нет", "сначала разверните его стек"),
                             ("not checked: there is no service {service}", "deploy its stack first")),
    "blocked.network": entry("network", ("не проверено: сети {network} нет", "сначала создайте её (этап network)"),
                             ("not checked: there is no network {network}", "create it first (stage network)")),
    "blocked.no_task": entry("deploy", ("не проверено: у {service} нет ни одной работающей задачи",
                                        "сначала добейтесь, чтобы {service} работал (этап stacks)"),
                             ("not checked: {service} runs no task", "get {service} running first (stage stacks)")),
    "blocked.no_gateway_on": entry("deploy", ("не проверено: на {node} не работает gateway",
                                              "сначала добейтесь, чтобы edge_gateway работал на {node}"),
                                   ("not checked: no gateway runs on {node}", "get edge_gateway running on {node} first")),
    "blocked.db_unhealthy": entry("deploy", ("не проверено: БД не здорова ({health})", "сначала исправьте storage_db"),
                                  ("not checked: the db is not healthy ({health})", "fix storage_db first")),
    "blocked.one_php_node": entry("deploy", ("не проверено: php-fpm работает только на {nodes}",
                                             "сначала распределите php-fpm по нодам (этап stacks)"),
                                  ("not checked: php-fpm runs on {nodes} only",
                                   "spread php-fpm over the nodes first (stage stacks)")),
    "blocked.overlay": entry("network", ("не проверено: overlay не пропускает пакеты: {pairs}",
                                         "сначала исправьте связь между нодами (этап connectivity)"),
                             ("not checked: the overlay loses packets: {pairs}",
                              "fix the connection between the nodes first (stage connectivity)")),
    "blocked.template": entry("deploy", ("не проверено: имя хоста php-fpm «{template}» не показывает ноду",
                                         "сначала верните шаблон hostname из урока (этап stacks)"),
                              ("not checked: the php-fpm hostname '{template}' does not show the node",
                               "restore the lesson's hostname template first (stage stacks)")),
    "blocked.no_small_pings": entry("network", ("не проверено: между нодами не проходят и малые пакеты",
                                                "сначала исправьте связь между нодами (проверка выше)"),
                                    ("not checked: small packets do not cross between the nodes either",
                                     "fix the connection between the nodes first (the check above)")),
    "not_applicable.one_node": entry(None, ("не относится к кластеру из одной ноды", "—"),
                                     ("does not apply to a one-node cluster", "-")),
    "error": entry(None, ("проверка не выполнена: {reason}", "проверьте доступ к нодам"),
                   ("the check could not run: {reason}", "check access to the nodes")),
}

TITLES = {
    "manager_answers_with_docker": ("manager отвечает, Docker работает", "manager answers with docker"),
    "swarm_is_active_on_the_manager": ("на manager активен swarm", "swarm is active on the manager"),
    "manager_is_a_manager_and_the_leader": ("manager — менеджер и лидер", "manager is a manager and the leader"),
    "every_worker_answers_with_docker": ("каждая worker-нода отвечает, Docker работает",
                                         "every worker answers with docker"),
    "every_inventory_node_is_in_the_swarm": ("все ноды в кластере", "every inventory node is in the swarm"),
    "the_swarm_has_no_node_outside_the_inventory": ("в кластере нет лишних нод",
                                                    "the swarm has no node outside the inventory"),
    "no_node_is_listed_twice": ("ни одна нода не числится дважды", "no node is listed twice"),
    "every_node_is_ready_and_active": ("все ноды Ready и Active", "every node is ready and active"),
    "one_manager_leads_and_the_others_are_workers": ("один менеджер-лидер, остальные worker",
                                                     "one manager leads and the others are workers"),
    "lemp_overlay_exists": ("сеть lemp-overlay есть", "lemp-overlay exists"),
    "lemp_overlay_is_an_overlay_of_swarm_scope": ("lemp-overlay — overlay области swarm",
                                                  "lemp-overlay is an overlay of swarm scope"),
    "lemp_overlay_was_created_outside_the_stacks": ("lemp-overlay создана вручную, не стеком",
                                                    "lemp-overlay was created outside the stacks"),
    "level6_is_on_every_node": ("папка урока есть на каждой ноде", "the lesson's folder is on every node"),
    "level6_is_the_same_on_every_node": ("папка урока одинакова на всех нодах",
                                         "the lesson's folder is the same on every node"),
    "the_three_lesson_stacks_are_deployed": ("три стека урока развёрнуты", "the three lesson stacks are deployed"),
    "each_stack_holds_its_one_service": ("в каждом стеке его один сервис", "each stack holds its one service"),
    "each_service_runs_in_the_lessons_mode": ("режимы сервисов как в уроке", "each service runs in the lesson's mode"),
    "the_gateway_runs_one_task_on_every_node": ("gateway работает по одному на каждой ноде",
                                                "the gateway runs one task on every node"),
    "the_gateway_publishes_port_80_in_host_mode": ("gateway публикует порт 80 в режиме host",
                                                   "the gateway publishes port 80 in host mode"),
    "php_fpm_wants_six_replicas": ("у php-fpm 6 реплик", "php-fpm wants six replicas"),
    "every_replicated_service_runs_all_its_tasks": ("все реплики запущены",
                                                    "every replicated service runs all its tasks"),
    "php_fpm_is_spread_evenly_over_the_nodes": ("php-fpm равномерно по нодам",
                                                "php-fpm is spread evenly over the nodes"),
    "the_db_is_healthy": ("БД здорова (healthcheck)", "the db is healthy"),
    "every_service_is_attached_to_lemp_overlay": ("все сервисы в сети lemp-overlay",
                                                  "every service is attached to lemp-overlay"),
    "hostnames_show_the_node_that_runs_the_task": ("имена хостов показывают ноду задачи",
                                                   "hostnames show the node that runs the task"),
    "php_fpm_resolves_as_its_endpoint_mode_says": ("имя php-fpm разрешается по endpoint mode",
                                                   "php-fpm resolves as its endpoint mode says"),
    "tasks_php_fpm_resolves_to_the_running_tasks": ("tasks.php-fpm — адреса работающих задач",
                                                    "tasks.php-fpm resolves to the running tasks"),
    "each_gateway_pings_php_fpm_on_another_node": ("gateway пингует php-fpm на другой ноде",
                                                   "each gateway pings php-fpm on another node"),
    "large_packets_cross_between_nodes": ("большие пакеты проходят между нодами", "large packets cross between nodes"),
    "every_node_answers_200_with_the_posts_table": ("каждая нода отдаёт страницу с постами",
                                                    "every node answers 200 with the posts table"),
    "every_node_shows_the_same_posts": ("все ноды показывают одни посты", "every node shows the same posts"),
    "php_fpm_hostnames_from_several_nodes_appear": ("имя хоста php-fpm меняется между нодами",
                                                    "php-fpm hostnames from several nodes appear"),
    "no_lesson_stack_remains": ("стеков урока не осталось", "no lesson stack remains"),
    "no_db_volume_remains": ("тома БД не осталось", "no db volume remains"),
    "every_node_carries_the_lessons_labels": ("метки урока на своих нодах", "every node carries the lesson's labels"),
    "no_lesson_label_is_on_another_node": ("меток урока нет на чужих нодах", "no lesson label is on another node"),
    "each_service_has_the_lessons_constraint": ("у каждого сервиса ограничение урока",
                                                "each service has the lesson's constraint"),
    "the_gateway_runs_on_the_ingress_nodes_only": ("gateway только на нодах ingress",
                                                   "the gateway runs on the ingress nodes only"),
    "php_fpm_runs_four_tasks_on_the_fpm_nodes": ("php-fpm: 4 задачи на нодах fpm",
                                                 "php-fpm runs four tasks on the fpm nodes"),
    "the_db_runs_on_the_storage_node": ("БД на ноде storage", "the db runs on the storage node"),
    "the_panel_stack_runs_an_agent_on_every_node": ("агент portainer на каждой ноде",
                                                    "the panel stack runs an agent on every node"),
    "the_panel_runs_on_a_manager": ("панель portainer на менеджере", "the panel runs on a manager"),
    "the_panel_answers_https_on_9443": ("панель отвечает по HTTPS на 9443", "the panel answers HTTPS on 9443"),
}


def title(check_id: str, lang: str) -> str:
    ru, en = TITLES.get(check_id, (check_id.replace("_", " "),) * 2)
    return ru if lang == "ru" else en
