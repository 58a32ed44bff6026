"""What a failing check tells a student, in Russian (the lesson's language) and English.

Each entry: the message (what is wrong), the hint (what to do, in the lesson's
own commands) and the lesson step that fixes it. Placeholders are filled from
the evidence the check found.
"""

CATALOG = {
    # init
    "init.unreachable": dict(
        step="init",
        ru=("{node} недоступна: {reason}", "проверьте адрес, пользователя и ключ узла {node} в инвентаре"),
        en=("{node} cannot be reached: {reason}", "check the address, user and key of {node} in the inventory")),
    "init.no_docker": dict(
        step="init",
        ru=("Docker не отвечает на {node} ({reason})", "установите Docker Engine на {node} по инструкции урока"),
        en=("docker does not answer on {node} ({reason})", "install Docker Engine on {node} as the lesson says")),
    "init.swarm_inactive": dict(
        step="init",
        ru=("на {node} swarm в состоянии «{state}»", "выполните `docker swarm init` на {node}"),
        en=("swarm is {state} on {node}", "run `docker swarm init` on {node}")),
    "init.not_leader": dict(
        step="init",
        ru=("{node} не является менеджером-лидером (роль: {role})",
            "инициализируйте кластер на {node}: `docker swarm leave --force`, затем `docker swarm init`"),
        en=("{node} is not the Leader manager (role: {role})",
            "initialise the swarm on {node}: `docker swarm leave --force`, then `docker swarm init`")),
    # join
    "join.not_joined": dict(
        step="join",
        ru=("не в кластере: {nodes}", "выполните на {nodes} команду `docker swarm join --token ...` из вывода `docker swarm init`"),
        en=("not in the swarm: {nodes}", "run the `docker swarm join --token ...` printed by `docker swarm init` on {nodes}")),
    "join.extra": dict(
        step="join",
        ru=("в кластере лишние ноды: {nodes}", "удалите их с manager: `docker node rm {nodes}`"),
        en=("the swarm has nodes the inventory does not list: {nodes}", "remove them on manager: `docker node rm {nodes}`")),
    "join.stale": dict(
        step="join",
        ru=("{node} числится в кластере дважды: старая запись {ids} в состоянии Down",
            "удалите устаревшую запись на manager: `docker node rm {ids}`"),
        en=("{node} is listed twice: a stale entry {ids} is Down", "remove the stale entry on manager: `docker node rm {ids}`")),
    "join.not_ready": dict(
        step="join",
        ru=("{node} в состоянии {state}", "проверьте Docker на {node}; если нода пересоздана, подключите её заново (`docker swarm join`)"),
        en=("{node} is {state}", "check docker on {node}; if it was rebuilt, join it again (`docker swarm join`)")),
    "join.not_active": dict(
        step="join",
        ru=("{node} в режиме {availability}: задачи на неё не попадут",
            "верните ноду в работу: `docker node update --availability active {node}`"),
        en=("{node} is {availability}: no task will run there", "put it back: `docker node update --availability active {node}`")),
    "join.roles": dict(
        step="join",
        ru=("роли нод не как в уроке: {roles}", "manager — единственный менеджер (Leader), остальные — worker"),
        en=("node roles differ from the lesson: {roles}", "manager is the only manager (Leader), the others are workers")),
    "join.worker_unreachable": dict(
        step="join",
        ru=("{node} недоступна: {reason}", "проверьте адрес, пользователя и ключ узла {node} в инвентаре"),
        en=("{node} cannot be reached: {reason}", "check the address, user and key of {node} in the inventory")),
    # network
    "network.missing": dict(
        step="network",
        ru=("сети lemp-overlay нет", "создайте её на manager: `docker network create -d overlay lemp-overlay`"),
        en=("there is no network lemp-overlay", "create it on manager: `docker network create -d overlay lemp-overlay`")),
    "network.driver": dict(
        step="network",
        ru=("lemp-overlay создана с драйвером {driver} (область {scope}), а нужен overlay (swarm)",
            "пересоздайте: `docker network rm lemp-overlay && docker network create -d overlay lemp-overlay`"),
        en=("lemp-overlay has driver {driver} (scope {scope}), the lesson needs overlay (swarm)",
            "recreate it: `docker network rm lemp-overlay && docker network create -d overlay lemp-overlay`")),
    "network.from_stack": dict(
        step="network",
        ru=("lemp-overlay создана стеком {stack}, а в уроке она внешняя (external: true)",
            "удалите стек и создайте сеть вручную: `docker network create -d overlay lemp-overlay`"),
        en=("lemp-overlay was made by stack {stack}, the lesson declares it external",
            "remove the stack and create the network by hand: `docker network create -d overlay lemp-overlay`")),
    # sync
    "sync.missing": dict(
        step="sync",
        ru=("папки /opt/docker-lessons/level6 нет на: {nodes}", "скопируйте папку level6 на каждую ноду в /opt/docker-lessons/"),
        en=("/opt/docker-lessons/level6 is missing on: {nodes}", "copy the folder level6 to /opt/docker-lessons/ on every node")),
    "sync.differs": dict(
        step="sync",
        ru=("level6 на {node} отличается от эталона: {files}", "скопируйте level6 заново на {node}"),
        en=("level6 on {node} differs from the project's copy: {files}", "copy level6 to {node} again")),
    "sync.unreachable": dict(
        step="sync",
        ru=("{node} недоступна: {reason}", "проверьте адрес, пользователя и ключ узла {node} в инвентаре"),
        en=("{node} cannot be reached: {reason}", "check the address, user and key of {node} in the inventory")),
    # stacks
    "stacks.missing": dict(
        step="deploy",
        ru=("не развернуты стеки: {stacks}", "в /opt/docker-lessons/level6/lemp1/compose: {commands}"),
        en=("stacks not deployed: {stacks}", "in /opt/docker-lessons/level6/lemp1/compose: {commands}")),
    "stacks.services": dict(
        step="deploy",
        ru=("в стеке {stack} сервисы {services}, а в уроке один: {expected}", "разверните стек из файла урока заново"),
        en=("stack {stack} holds {services}, the lesson has one: {expected}", "deploy the stack again from the lesson's file")),
    "stacks.mode": dict(
        step="deploy",
        ru=("{service} в режиме {mode}, а в уроке {expected}", "разверните стек из файла урока заново"),
        en=("{service} runs in {mode} mode, the lesson uses {expected}", "deploy the stack again from the lesson's file")),
    "stacks.gateway_tasks": dict(
        step="deploy",
        ru=("edge_gateway работает не на всех нодах (нет на: {nodes})",
            "выясните причину: `docker service ps --no-trunc edge_gateway` и `docker service logs edge_gateway`"),
        en=("edge_gateway does not run on every node (missing on: {nodes})",
            "find out why: `docker service ps --no-trunc edge_gateway` and `docker service logs edge_gateway`")),
    "stacks.gateway_upstream": dict(
        step="deploy",
        ru=("edge_gateway не запускается на: {nodes} — nginx не находит php-fpm (host not found in upstream)",
            "разверните стек core: `docker stack deploy -c ./core.yaml --with-registry-auth core`"),
        en=("edge_gateway cannot start on: {nodes}: nginx cannot find php-fpm (host not found in upstream)",
            "deploy the core stack: `docker stack deploy -c ./core.yaml --with-registry-auth core`")),
    "stacks.port": dict(
        step="deploy",
        ru=("edge_gateway публикует порт 80 как {ports}, а в уроке mode: host", "верните в edge.yaml `mode: host` и разверните edge заново"),
        en=("edge_gateway publishes port 80 as {ports}, the lesson uses mode: host", "put `mode: host` back in edge.yaml and deploy edge again")),
    "stacks.replicas": dict(
        step="deploy",
        ru=("у core_php-fpm {replicas} реплик в описании, а в уроке 6", "`docker service scale core_php-fpm=6` или разверните core заново"),
        en=("core_php-fpm wants {replicas} replicas, the lesson has 6", "`docker service scale core_php-fpm=6` or deploy core again")),
    "stacks.running": dict(
        step="deploy",
        ru=("{service}: запущено {running} из {wanted}",
            "выясните причину: `docker service ps --no-trunc {service}` и `docker service logs {service}`"),
        en=("{service}: {running} of {wanted} running",
            "find out why: `docker service ps --no-trunc {service}` and `docker service logs {service}`")),
    "stacks.spread": dict(
        step="deploy",
        ru=("core_php-fpm распределён неравномерно: {spread}",
            "перераспределите задачи: `docker service update --force core_php-fpm`"),
        en=("core_php-fpm is spread unevenly: {spread}", "rebalance its tasks: `docker service update --force core_php-fpm`")),
    "stacks.pinned": dict(
        step="deploy",
        ru=("core_php-fpm привязан ограничением {constraints}: {spread}",
            "уберите ограничение: `docker service update --constraint-rm '{constraints}' core_php-fpm`"),
        en=("core_php-fpm is pinned by the constraint {constraints}: {spread}",
            "remove it: `docker service update --constraint-rm '{constraints}' core_php-fpm`")),
    "stacks.db_health": dict(
        step="deploy",
        ru=("storage_db не здоров: {health}", "смотрите `docker service logs storage_db` и healthcheck в storage.yaml"),
        en=("storage_db is not healthy: {health}", "read `docker service logs storage_db` and the healthcheck in storage.yaml")),
    "stacks.network": dict(
        step="deploy",
        ru=("сервисы не подключены к lemp-overlay: {services}", "укажите сеть lemp-overlay в compose-файле и разверните заново"),
        en=("services not attached to lemp-overlay: {services}", "list lemp-overlay in the compose file and deploy again")),
    "stacks.hostname": dict(
        step="deploy",
        ru=("шаблон hostname у {service}: «{actual}», а в уроке «{expected}»", "верните hostname из файла урока и разверните заново"),
        en=("{service} hostname template is '{actual}', the lesson's is '{expected}'", "restore the lesson's hostname and deploy again")),
    # vip
    "vip.resolves": dict(
        step="deploy",
        ru=("в контейнере gateway на {node} имя php-fpm даёт {got}, ожидалось {expected} (endpoint mode {mode})",
            "проверьте `docker inspect service core_php-fpm` (Endpoint) и сеть lemp-overlay"),
        en=("in the gateway on {node}, php-fpm resolves to {got}, expected {expected} (endpoint mode {mode})",
            "look at `docker inspect service core_php-fpm` (Endpoint) and the network lemp-overlay")),
    "vip.tasks": dict(
        step="deploy",
        ru=("в контейнере gateway на {node} имя tasks.php-fpm даёт {got}, а адреса задач {expected}",
            "проверьте, что все задачи core_php-fpm подключены к lemp-overlay"),
        en=("in the gateway on {node}, tasks.php-fpm resolves to {got}, the tasks' addresses are {expected}",
            "check that every core_php-fpm task is attached to lemp-overlay")),
    "vip.no_gateway": dict(
        step="deploy",
        ru=("на {node} нет работающего контейнера gateway для проверки", "разверните стек edge"),
        en=("no running gateway container on {node} to probe from", "deploy the edge stack")),
    # connectivity
    "connectivity.ping": dict(
        step="network",
        ru=("из gateway на {node} не пингуется php-fpm {target} на ноде {other}",
            "проверьте overlay-сеть между нодами (порты 4789/udp, 7946, 2377 между ВМ)"),
        en=("the gateway on {node} cannot ping php-fpm {target} on {other}",
            "check the overlay between nodes (ports 4789/udp, 7946 and 2377 open between the VMs)")),
    # pages
    "pages.status": dict(
        step="seed_data",
        ru=("http://{node}/ отвечает {status}: {text}", "проверьте edge_gateway на {node}: `docker service ps edge_gateway`"),
        en=("http://{node}/ answers {status}: {text}", "check edge_gateway on {node}: `docker service ps edge_gateway`")),
    "pages.db_down": dict(
        step="deploy",
        ru=("http://{node}/ отвечает {status}: {text}",
            "база данных недоступна: разверните стек storage и дождитесь healthy (`docker service ps storage_db`)"),
        en=("http://{node}/ answers {status}: {text}",
            "the database is unreachable: deploy the storage stack and wait until it is healthy (`docker service ps storage_db`)")),
    "pages.no_posts": dict(
        step="seed_data",
        ru=("на странице {node} нет постов", "откройте http://{address}/init.php (скрипт инициализации)"),
        en=("the page of {node} lists no posts", "open http://{address}/init.php (the init script)")),
    "pages.differ": dict(
        step="seed_data",
        ru=("ноды показывают разные посты: {detail}", "у всех нод должна быть одна БД (storage_db ×1)"),
        en=("nodes show different posts: {detail}", "every node must use the one database (storage_db x1)")),
    "pages.balance": dict(
        step="deploy",
        ru=("за {count} запросов имя хоста php-fpm было только: {hosts}",
            "проверьте, что php-fpm работает на нескольких нодах (6 реплик) и балансировку (endpoint mode)"),
        en=("over {count} requests the php-fpm hostname was only: {hosts}",
            "check that php-fpm runs on several nodes (6 replicas) and the load balancing (endpoint mode)")),
    # teardown
    "teardown.stacks": dict(
        step="teardown",
        ru=("стеки урока ещё есть: {stacks}", "`docker stack rm {stacks}`"),
        en=("lesson stacks remain: {stacks}", "`docker stack rm {stacks}`")),
    "teardown.volume": dict(
        step="teardown",
        ru=("том storage_db_volume остался на: {nodes}", "на этих нодах: `docker volume rm storage_db_volume`"),
        en=("the volume storage_db_volume remains on: {nodes}", "on those nodes: `docker volume rm storage_db_volume`")),
    # shared
    "blocked": dict(
        step=None,
        ru=("не проверено: сначала исправьте этап {stage}", "исправьте ошибки этапа {stage}"),
        en=("not checked: stage {stage} failed first", "fix stage {stage} first")),
    "error": dict(
        step=None,
        ru=("проверка не выполнена: {reason}", "проверьте доступ к нодам"),
        en=("the check could not run: {reason}", "check access to the nodes")),
}
