"""Every word a Russian reader sees (the lesson's language, and swarmlab's default).

Keys are shared with the other language's module (a unit test holds them to the same keys and the
same placeholders); see swarmlab/i18n/__init__.py for their families.
"""

WORDS = {
    # -- reaching nodes, pages, outcomes and grading statuses -------------------------------------------------------
    "ssh.host-key-changed": (
        "ключ хоста {where} изменился: записан {recorded}, предъявлен {presented} (в {known_hosts}); если ВМ "
        "пересоздана, удалите старый ключ (ssh-keygen -R {host} -f {known_hosts}), иначе не подключайтесь"
    ),
    "ssh.auth": (
        "ключ {key} отвергнут для пользователя {user}: добавьте его открытый ключ в ~{user}/.ssh/authorized_keys "
        "на ноде"
    ),
    "ssh.host-key-unknown": (
        "ключа хоста {where} нет в {known_hosts}: проверьте его и запустите снова с --accept-new-host-keys"
    ),
    "ssh.dropped": "{where} закрыл соединение во время SSH-рукопожатия",
    "ssh.timeout": "SSH к {where} не ответил за {timeout} с: проверьте адрес и что ВМ запущена",
    "ssh.refused": "соединение с {where} отклонено: проверьте, что sshd запущен и порт верный",
    "ssh.unknown-host": "имя {host} не разрешается: проверьте адрес",
    "ssh.unreachable": "{where} недоступен ({error}): проверьте адрес",
    "ssh.not-ssh": "{where} отвечает не как SSH-сервер ({error}): проверьте порт",
    "ssh.error": "SSH к {where} не удался ({error})",
    "ssh.command-timeout": "команда `{command}` не завершилась за {timeout} с",
    "ssh.connection-dropped": "SSH-соединение оборвалось ({error})",
    "ssh.no-key": (
        "нечем войти на {where} как {user}: нет ключа и нет ssh-agent; укажите key: в инвентаре (или запустите "
        "ssh-agent и выполните ssh-add с вашим ключом)"
    ),
    "ssh.not-a-key": (
        "файл {key} — не закрытый ключ SSH: укажите в key: закрытый ключ (не .pub), например ~/.ssh/id_ed25519"
    ),
    "ssh.key-unreadable": "ключ {key} не читается ({error}): проверьте путь и права (chmod 600)",
    "ssh.key-passphrase": (
        "ключ {key} защищён паролем: добавьте его в агент (ssh-add {key}) и уберите key: из инвентаря, чтобы "
        "swarmlab взял ключ из агента"
    ),
    "ssh.no-route": "до {where} нет маршрута с этой машины: проверьте адрес (публичный IP ВМ) и сеть",
    "ssh.sudo-password": (
        "sudo на {where} просит у {user} пароль: разрешите ему sudo без пароля (NOPASSWD в /etc/sudoers.d) или "
        "войдите пользователем из группы docker без become"
    ),
    "ssh.too-large": "ответ на `{read}` больше {cap}: чтение остановлено (ответы ноды ограничены по размеру)",
    "fetch.refused": "соединение отклонено: на порту 80 никто не слушает",
    "fetch.no-answer": "нет ответа: адрес молчит (файрвол или ВМ выключена)",
    "fetch.slow-answer": "соединение принято, но ответ не пришёл вовремя",
    "fetch.reset": "соединение сброшено",
    "fetch.unreachable": "адрес недоступен с этой машины",
    "fetch.unknown-host": "имя не разрешается",
    "outcome.passed": "пройдена",
    "outcome.failed": "не пройдена",
    "outcome.blocked": "не проверена",
    "outcome.not_applicable": "не относится",
    "column.stage": "этап",
    "column.check": "проверка",
    "column.outcome": "результат",
    "column.detail": "что не так → что сделать",
    "report.more": "(и ещё {count} по той же причине)",
    "report.unreached": "{message}: из-за этого не проверено проверок: {count}",
    "grade.all": "проверено: все проверки пройдены",
    "grade.some": "проверено: пройдено {passed} из {count}; исправить первым ({stage}): {message}",
    "grade.unreached": "не проверено: {message}",
    "grade.late": "не проверено: проверки не уложились в {timeout} с",
    "grade.broken": "не проверено: проверки не запустились ({message})",
    "grade.reach": "проверьте manager, port, user и key этого студента в списке",
    "summary": "пройдено: {passed}, не пройдено: {failed}, не проверено: {blocked}",
    "summary.not_applicable": ", не относятся к кластеру: {count}",
    # -- who else's cluster this is (integrity) ----------------------------------------------------------------------
    "ssh.not-allowed": (
        "swarm сообщает адрес {address}, которого нет в списке и нет в --allow-network: к нему не подключались "
        "(впишите его в колонку workers списка или добавьте --allow-network CIDR)"
    ),
    "integrity.cluster": "тот же swarm (ID кластера), что у {other}",
    "integrity.ca": "тот же CA swarm, что у {other}",
    "integrity.node": "та же нода {node}, что у {other}",
    "integrity.address": "тот же адрес manager ({address}), что у {other}",
    "integrity.answer": "ответ на вопрос {question} верен для кластера {other}, а не для своего",
    "integrity.none": "совпадений с другими кластерами нет",
    "book.integrity": "совпадения с другими студентами",
    "grade.not_contacted": (
        "{count} студент(ов): swarm сообщает ноды по адресам вне списка, к ним не подключались: впишите их в "
        "колонку workers или добавьте --allow-network CIDR"
    ),
    # -- the checks' titles -----------------------------------------------------------------------------------------
    "title.manager_answers_with_docker": "manager отвечает, Docker работает",
    "title.swarm_is_active_on_the_manager": "на manager активен swarm",
    "title.manager_is_a_manager_and_the_leader": "manager — менеджер и лидер",
    "title.every_worker_answers_with_docker": "каждая worker-нода отвечает, Docker работает",
    "title.every_inventory_node_is_in_the_swarm": "все ноды в кластере",
    "title.the_swarm_has_no_node_outside_the_inventory": "в кластере нет лишних нод",
    "title.no_node_is_listed_twice": "ни одна нода не числится дважды",
    "title.every_node_is_ready_and_active": "все ноды Ready и Active",
    "title.one_manager_leads_and_the_others_are_workers": "один менеджер-лидер, остальные worker",
    "title.lemp_overlay_exists": "сеть lemp-overlay есть",
    "title.lemp_overlay_is_an_overlay_of_swarm_scope": "lemp-overlay — overlay области swarm",
    "title.lemp_overlay_was_created_outside_the_stacks": "lemp-overlay создана вручную, не стеком",
    "title.lemp_overlay_does_not_overlap_the_nodes_networks": "lemp-overlay не пересекается с сетями нод",
    "title.level6_is_on_every_node": "папка урока есть на каждой ноде",
    "title.level6_is_the_same_on_every_node": "папка урока одинакова на всех нодах",
    "title.the_three_lesson_stacks_are_deployed": "три стека урока развёрнуты",
    "title.each_stack_holds_its_one_service": "в каждом стеке его один сервис",
    "title.each_service_runs_in_the_lessons_mode": "режимы сервисов как в уроке",
    "title.the_gateway_runs_one_task_on_every_node": "gateway работает по одному на каждой ноде",
    "title.the_gateway_publishes_port_80_in_host_mode": "gateway публикует порт 80 в режиме host",
    "title.php_fpm_wants_six_replicas": "у php-fpm 6 реплик",
    "title.every_replicated_service_runs_all_its_tasks": "все реплики запущены",
    "title.php_fpm_is_spread_evenly_over_the_nodes": "php-fpm равномерно по нодам",
    "title.the_db_is_healthy": "БД здорова (healthcheck)",
    "title.every_service_is_attached_to_lemp_overlay": "все сервисы в сети lemp-overlay",
    "title.hostnames_show_the_node_that_runs_the_task": "имена хостов показывают ноду задачи",
    "title.php_fpm_resolves_as_its_endpoint_mode_says": "имя php-fpm разрешается по endpoint mode",
    "title.tasks_php_fpm_resolves_to_the_running_tasks": "tasks.php-fpm — адреса работающих задач",
    "title.each_gateway_pings_php_fpm_on_another_node": "gateway пингует php-fpm на другой ноде",
    "title.large_packets_cross_between_nodes": "большие пакеты проходят между нодами",
    "title.every_node_answers_200_with_the_posts_table": "каждая нода отдаёт страницу с постами",
    "title.every_node_shows_the_same_posts": "все ноды показывают одни посты",
    "title.php_fpm_hostnames_from_several_nodes_appear": "имя хоста php-fpm меняется между нодами",
    "title.no_lesson_stack_remains": "стеков урока не осталось",
    "title.no_db_volume_remains": "тома БД не осталось",
    "title.every_node_carries_the_lessons_labels": "метки урока на своих нодах",
    "title.no_lesson_label_is_on_another_node": "меток урока нет на чужих нодах",
    "title.each_service_has_the_lessons_constraint": "у каждого сервиса ограничение урока",
    "title.the_gateway_runs_on_the_ingress_nodes_only": "gateway только на нодах ingress",
    "title.php_fpm_runs_four_tasks_on_the_fpm_nodes": "php-fpm: 4 задачи на нодах fpm",
    "title.the_db_runs_on_the_storage_node": "БД на ноде storage",
    "title.the_panel_stack_runs_an_agent_on_every_node": "агент portainer на каждой ноде",
    "title.the_panel_runs_on_a_manager": "панель portainer на менеджере",
    "title.the_panel_answers_https_on_9443": "панель отвечает по HTTPS на 9443",
    # -- what a check says when it does not pass: the message, then its hint ----------------------------------------
    "init.unreachable": "{node} недоступна: {reason}",
    "init.unreachable.hint": "проверьте адрес, пользователя и ключ узла {node} в инвентаре",
    "init.no_docker": "Docker не отвечает на {node} ({reason})",
    "init.no_docker.hint": "установите Docker Engine на {node} по инструкции урока",
    "init.docker_denied": "{user} на {node} не может пользоваться Docker ({reason})",
    "init.docker_denied.hint": (
        "добавьте {user} в группу docker на {node} (`sudo usermod -aG docker {user}`, затем войдите заново) или "
        "укажите `become: sudo` в инвентаре"
    ),
    "init.swarm_inactive": "на {node} swarm в состоянии «{state}»",
    "init.swarm_inactive.hint": "выполните `docker swarm init` на {node}",
    "init.not_leader": "{node} не является менеджером-лидером (роль: {role})",
    "init.not_leader.hint": (
        "инициализируйте кластер на {node}: `docker swarm leave --force`, затем `docker swarm init`"
    ),
    "join.not_joined": "не в кластере: {nodes}",
    "join.not_joined.hint": (
        "выполните на {nodes} команду `docker swarm join --token ...` из вывода `docker swarm init`"
    ),
    "join.pending": "{node} не может войти в кластер: swarm в состоянии pending ({error})",
    "join.pending.hint": (
        "откройте порт 2377/tcp менеджера для worker-нод (группа безопасности/файрвол облака) и проверьте адрес "
        "в `docker swarm join`"
    ),
    "join.extra": "в кластере лишние ноды: {nodes}",
    "join.extra.hint": "удалите их с manager: `docker node rm {nodes}`",
    "join.stale": "{node} числится в кластере дважды: старая запись {ids} в состоянии Down",
    "join.stale.hint": "удалите устаревшую запись на manager: `docker node rm {ids}`",
    "join.down": "{node} в состоянии Down: «{message}»",
    "join.down.hint": (
        "проверьте, что ВМ {node} запущена, Docker на ней работает и порты 2377/tcp, 7946/tcp+udp открыты между ВМ"
    ),
    "join.not_ready": "{node} в состоянии {state}",
    "join.not_ready.hint": (
        "проверьте Docker на {node}; если нода пересоздана, подключите её заново (`docker swarm join`)"
    ),
    "join.not_active": "{node} в режиме {availability}: задачи на неё не попадут",
    "join.not_active.hint": "верните ноду в работу: `docker node update --availability active {node}`",
    "join.roles": "роли нод не как в уроке: {roles}",
    "join.roles.hint": "manager — единственный менеджер (Leader), остальные — worker",
    "join.second_manager": (
        "в кластере {count} менеджера ({nodes}): если один из двух остановится, кластер потеряет кворум и "
        "перестанет управляться"
    ),
    "join.second_manager.hint": (
        "оставьте одного менеджера: `docker node demote {extra}` (или три, для отказоустойчивости)"
    ),
    "join.worker_unreachable": "{node} недоступна: {reason}",
    "join.worker_unreachable.hint": "проверьте адрес, пользователя и ключ узла {node} в инвентаре",
    "network.missing": "сети lemp-overlay нет",
    "network.missing.hint": "создайте её на manager: `docker network create -d overlay lemp-overlay`",
    "network.driver": "lemp-overlay создана с драйвером {driver} (область {scope}), а нужен overlay (swarm)",
    "network.driver.hint": (
        "пересоздайте: `docker network rm lemp-overlay && docker network create -d overlay lemp-overlay`"
    ),
    "network.from_stack": "lemp-overlay создана стеком {stack}, а в уроке она внешняя (external: true)",
    "network.from_stack.hint": (
        "удалите стек и создайте сеть вручную: `docker network create -d overlay lemp-overlay`"
    ),
    "sync.missing": "папки урока {path} нет на: {nodes}",
    "sync.missing.hint": (
        "скопируйте папку level6 на каждую ноду в тот же путь, что на manager (в уроке: /opt/docker-lessons/level6)"
    ),
    "sync.differs": "level6 на {node} отличается от копии на {reference}: {files}",
    "sync.differs.hint": "скопируйте level6 заново на {node}: контейнеры каждой ноды монтируют файлы своей ноды",
    "stacks.missing": "не развернуты стеки: {stacks}",
    "stacks.missing.hint": "в папке compose урока: {commands}",
    "stacks.services": "в стеке {stack} сервисы {services}, а в уроке один: {expected}",
    "stacks.services.hint": "разверните стек из файла урока заново",
    "stacks.mode": "{service} в режиме {mode}, а в уроке {expected}",
    "stacks.mode.hint": "разверните стек из файла урока заново",
    "stacks.gateway_tasks": "edge_gateway работает не на всех нодах (нет на: {nodes})",
    "stacks.gateway_tasks.hint": (
        "выясните причину: `docker service ps --no-trunc edge_gateway` и `docker service logs edge_gateway`"
    ),
    "stacks.gateway_upstream": (
        "edge_gateway не запускается на: {nodes} — nginx не находит php-fpm (host not found in upstream)"
    ),
    "stacks.gateway_upstream.hint": (
        "разверните стек core: `docker stack deploy -c ./core.yaml --with-registry-auth core`"
    ),
    "stacks.port": "edge_gateway публикует порт 80 как {ports}, а в уроке mode: host",
    "stacks.port.hint": "верните в edge.yaml `mode: host` и разверните edge заново",
    "stacks.replicas": "у {service} {replicas} реплик в описании, а в уроке {expected}",
    "stacks.replicas.hint": "`docker service scale {service}={expected}` или разверните стек заново",
    "stacks.running": "{service}: запущено {running} из {wanted}",
    "stacks.running.hint": (
        "выясните причину: `docker service ps --no-trunc {service}` и `docker service logs {service}`"
    ),
    "stacks.spread": "{service} распределён неравномерно: {spread}",
    "stacks.spread.hint": "перераспределите задачи: `docker service update --force {service}`",
    "stacks.pinned": "{service} привязан ограничением {constraints}: {spread}",
    "stacks.pinned.hint": "уберите ограничение: `docker service update --constraint-rm '{constraints}' {service}`",
    "stacks.db_health": "storage_db не здоров: {health}",
    "stacks.db_health.hint": "смотрите `docker service logs storage_db` и healthcheck в storage.yaml",
    "stacks.network": "сервисы не подключены к lemp-overlay: {services}",
    "stacks.network.hint": "укажите сеть lemp-overlay в compose-файле и разверните заново",
    "stacks.hostname": "шаблон hostname у {service}: «{actual}» не показывает ноду, на которой работает задача",
    "stacks.hostname.hint": "верните hostname из файла урока («{expected}») и разверните заново",
    "vip.resolves": (
        "в контейнере gateway на {node} имя php-fpm даёт {got}, ожидалось {expected} (endpoint mode {mode})"
    ),
    "vip.resolves.hint": "проверьте `docker inspect service core_php-fpm` (Endpoint) и сеть lemp-overlay",
    "vip.tasks": "в контейнере gateway на {node} имя tasks.php-fpm даёт {got}, а адреса задач {expected}",
    "vip.tasks.hint": "проверьте, что все задачи core_php-fpm подключены к lemp-overlay",
    "connectivity.ping": "из gateway на {node} не пингуется php-fpm {target} на ноде {other}",
    "connectivity.ping.hint": "проверьте overlay-сеть между нодами (порты 4789/udp, 7946/tcp+udp, 2377/tcp между ВМ)",
    "pages.refused": (
        "http://{node}/ — браузер покажет «соединение отклонено»: на порту 80 ноды {node} никто не слушает"
    ),
    "pages.refused.hint": "проверьте, что edge_gateway работает на {node}: `docker service ps edge_gateway`",
    "pages.no-answer": "http://{node}/ — браузер будет ждать и сдастся: {address}:80 не отвечает вовсе",
    "pages.no-answer.hint": "откройте порт 80/tcp ноды {node} в файрволе облака и проверьте, что ВМ запущена",
    "pages.slow-answer": (
        "http://{node}/ — браузер будет ждать и сдастся: nginx принял соединение, но php-fpm не ответил"
    ),
    "pages.slow-answer.hint": (
        "смотрите журнал nginx: `docker service logs edge_gateway`, и сеть между нодами (`swarmlab check --stage "
        "connectivity`)"
    ),
    "pages.reset": "http://{node}/ — браузер покажет «соединение сброшено»",
    "pages.reset.hint": "смотрите `docker service logs edge_gateway`",
    "pages.unreachable": "http://{node}/ — до {address} нет маршрута с этой машины",
    "pages.unreachable.hint": "проверьте адрес ноды {node} в инвентаре",
    "pages.unknown-host": "http://{node}/ — имя {address} не разрешается",
    "pages.unknown-host.hint": "проверьте адрес ноды {node} в инвентаре",
    "pages.bad_gateway": "http://{node}/ отвечает {status}: nginx не может достучаться до php-fpm",
    "pages.bad_gateway.hint": (
        "смотрите журнал nginx (`docker service logs edge_gateway`) и `docker service ps core_php-fpm`"
    ),
    "pages.status": "http://{node}/ отвечает {status}: {text}",
    "pages.status.hint": "проверьте edge_gateway на {node}: `docker service ps edge_gateway`",
    "pages.db_down": "http://{node}/ отвечает {status}: {text}",
    "pages.db_down.hint": (
        "база данных недоступна: разверните стек storage и дождитесь healthy (`docker service ps storage_db`)"
    ),
    "pages.no_posts": "на странице {node} нет постов",
    "pages.no_posts.hint": "откройте http://{address}/init.php (скрипт инициализации)",
    "pages.differ": "ноды показывают разные посты: {detail}",
    "pages.differ.hint": "у всех нод должна быть одна БД (storage_db ×1)",
    "pages.balance": "за {count} запросов к {node} имя хоста php-fpm было только: {hosts}",
    "pages.balance.hint": "проверьте балансировку: php-fpm работает на {spread}; endpoint mode {mode}",
    "teardown.stacks": "стеки урока ещё есть: {stacks}",
    "teardown.stacks.hint": "`docker stack rm {stacks}`",
    "teardown.volume": "том {volume} остался на: {nodes}",
    "teardown.volume.hint": "на этих нодах: `docker volume rm {volume}`",
    "labels.missing": "на {node} нет меток урока: {labels} (сейчас: {actual})",
    "labels.missing.hint": "на manager: `docker node update {flags} {node}`",
    "labels.typo": "на {node} метка «{found}» вместо «{wanted}»",
    "labels.typo.hint": "исправьте: `docker node update --label-rm {found} --label-add {wanted}=true {node}`",
    "labels.wrong_node": "метка {label} стоит на {node}, а в уроке её там нет",
    "labels.wrong_node.hint": "уберите: `docker node update --label-rm {label} {node}`",
    "placement.constraint": "у {service} ограничение {actual}, а в уроке «{expected}»",
    "placement.constraint.hint": (
        "добавьте в compose-файл `deploy.placement.constraints: [{expected}]` и разверните стек заново"
    ),
    "placement.where": "{service} работает на: {actual}, а по меткам должен на: {expected}",
    "placement.where.hint": (
        'проверьте метки нод (`docker node inspect NODE --format "{{{{json .Spec.Labels}}}}"`) и ограничение; '
        "затем `docker service update --force {service}`"
    ),
    "panel.missing": "стек portainer не развёрнут",
    "panel.missing.hint": "в папке lemp2: `./up.sh portainer` (или `./up.sh` и пункт «все»)",
    "panel.agents": "агент portainer не работает на: {nodes}",
    "panel.agents.hint": "выясните причину: `docker service ps --no-trunc portainer_agent`",
    "panel.manager": "панель portainer работает на {nodes}, а должна на менеджере",
    "panel.manager.hint": "ограничение в portainer.yaml: `node.role == manager`",
    "panel.https": "https://{node}:9443 — {problem}",
    "panel.https.hint": "проверьте `docker service ps portainer_portainer` и порт 9443 в файрволе облака",
    "panel.ingress_no_ipvs": (
        "https://{node}:9443 не открывается ({problem}): порт 9443 опубликован через ingress (routing mesh), а "
        "ему нужен IPVS, которого нет в ядре {node}"
    ),
    "panel.ingress_no_ipvs.hint": (
        "опубликуйте порты панели в режиме host (LEMP_PUBLISH_MODE=host из /etc/profile.d/swarmlab.sh) и "
        "разверните стек portainer заново"
    ),
    "diagnose.bind_source": "{service} не запускается на {node}: нет пути {path} (bind source path does not exist)",
    "diagnose.bind_source.hint": (
        "скопируйте level6 на {node} в тот же путь, что на manager: compose-файл задаёт путь на manager, а "
        "монтирует его каждая нода"
    ),
    "diagnose.task_exits": (
        "{service} не держится на {node}: его задача завершается с кодом {code}, а почему — пишет она сама (ниже)"
    ),
    "diagnose.task_exits.hint": (
        "исправьте то, что названо в строках самой задачи (`docker service logs {task}` показывает только её, "
        "`docker service logs {service}` — вывод всех задач вперемешку), и разверните стек снова"
    ),
    "diagnose.image_missing": (
        "{service} не запускается на {node}: образа {image} там нет, и скачать его нода не может"
    ),
    "diagnose.image_missing.hint": (
        "загрузите образ на {node} (`docker pull {image}` при доступе к реестру, иначе `docker save`/`docker "
        "load`) или разверните с `--with-registry-auth` для приватного реестра"
    ),
    "diagnose.port_busy": (
        "{service} не запускается на {node}: порт 80 уже занят процессом «{holder}» (address already in use)"
    ),
    "diagnose.port_busy.hint": (
        "остановите его на {node} (например `systemctl disable --now {holder}`) — порт 80 нужен gateway"
    ),
    "diagnose.port_taken": (
        "{service} не получает порт 80: его уже публикует сервис {others} (host-mode port already in use)"
    ),
    "diagnose.port_taken.hint": "удалите старый стек (`docker stack rm ...`), прежде чем запускать новый",
    "diagnose.constraint": "задачи {service} ждут (Pending): ни одна нода не подходит под {constraints}",
    "diagnose.constraint.hint": (
        'проверьте метки нод (`docker node inspect NODE --format "{{{{json .Spec.Labels}}}}"`): их ставят '
        "`docker node update --label-add ...`"
    ),
    "diagnose.constraint_key": (
        "задачи {service} ждут (Pending): ограничение «{constraint}» не совпадёт ни с одной нодой — ключ метки "
        "пишется как node.labels.<метка>"
    ),
    "diagnose.constraint_key.hint": "напишите в compose-файле `node.labels.{constraint}` и разверните стек заново",
    "diagnose.no_node_available": "задачам {service} некуда встать: ноды недоступны для новых задач (drain или Down)",
    "diagnose.no_node_available.hint": "верните ноды в работу: `docker node update --availability active NODE`",
    "diagnose.db_unhealthy": (
        "storage_db на {node} не здоров ({health}): healthcheck не проходит или БД перезапускается"
    ),
    "diagnose.db_unhealthy.hint": (
        "читайте журнал БД (`docker service logs storage_db`): частые причины — не задан пароль, том "
        "инициализирован наполовину"
    ),
    "diagnose.db_not_started": "storage_db ещё не запустил ни одного контейнера",
    "diagnose.db_not_started.hint": "выясните причину: `docker service ps --no-trunc storage_db`",
    "diagnose.unattached": (
        "{task} работает на {node} без своего адреса в lemp-overlay ({address}): его контейнер не "
        "подключён к сети, поэтому DNS не знает задачу и пакеты до неё не доходят"
    ),
    "diagnose.unattached.hint": (
        "замените задачу: `docker service update --force {service}` на менеджере (все задачи запустятся "
        "заново и подключатся к сети)"
    ),
    "diagnose.stale_names": (
        "в шлюзе на {node} tasks.php-fpm даёт {resolved} адресов на {running} работающих задач {service}, хотя все "
        "задачи подключены к сети и все ноды знают друг друга; NetworkDB ноды {node} знает {listed} из них: "
        "записи имён {service} в движке устарели"
    ),
    "diagnose.stale_names.hint": (
        "`docker service update --force {service}` на менеджере заново опубликует имена его задач (известная "
        "ошибка Docker, когда стек разворачивают заново раньше, чем разобрана его сеть, moby/moby#36691: перед "
        "`docker stack deploy` дождитесь, пока `docker network inspect lemp-overlay` не покажет ни одного "
        "контейнера)"
    ),
    "diagnose.gossip": (
        "{node} отрезана от overlay: NetworkDB нод {others} её не знает (docker network inspect -v: Peers), "
        "поэтому ни адреса, ни пакеты её задач до них не доходят"
    ),
    "diagnose.gossip.hint": (
        "откройте порт 7946/tcp и 7946/udp между ВМ (файрвол/группа безопасности облака) для {node}; если задачи "
        "только что перезапускались, проверьте ещё раз через минуту: NetworkDB может ещё сходиться"
    ),
    "diagnose.vxlan": (
        "{node} отрезана от overlay: ноды знают друг друга, но пакеты между контейнерами не доходят ({pairs})"
    ),
    "diagnose.vxlan.hint": "откройте порт 4789/udp (VXLAN) между ВМ для ноды {node}",
    "diagnose.vxlan_pairs": "пакеты overlay теряются между нодами: {pairs}",
    "diagnose.vxlan_pairs.hint": "откройте порт 4789/udp (VXLAN) между ВМ",
    "diagnose.mtu": (
        "между {node} и другими нодами проходят малые пакеты, а большие теряются: MTU пути меньше, чем нужно "
        "overlay ({overlay}+50)"
    ),
    "diagnose.mtu.hint": (
        "уменьшите MTU overlay (`docker network create -d overlay --opt com.docker.network.driver.mtu=1400 "
        "lemp-overlay`) или исправьте MTU канала между ВМ"
    ),
    "diagnose.node_down": (
        "{node} в состоянии Down («{message}»): swarm перенёс её задачи, а их старые адреса остались в DNS overlay"
    ),
    "diagnose.node_down.hint": (
        "верните {node} в кластер: проверьте, что ВМ и Docker работают и порт 2377/tcp менеджера открыт для неё"
    ),
    "diagnose.stale_upstream": (
        "gateway на {node} шлёт запросы на адреса php-fpm, которых больше нет ({dead}): nginx узнал их при старте"
    ),
    "diagnose.stale_upstream.hint": (
        "перезапустите gateway (`docker service update --force edge_gateway`); с VIP (IPVS) такого не бывает"
    ),
    "diagnose.no_ipvs": (
        "http://{node}/ не работает: php-fpm в режиме vip, а в ядре {node} нет IPVS — через виртуальный IP не "
        "идёт трафик (новые версии Docker его имя даже не разрешают)"
    ),
    "diagnose.no_ipvs.hint": (
        "разверните core и storage с `endpoint_mode: dnsrr` (LEMP_ENDPOINT_MODE=dnsrr) или загрузите модуль ядра "
        "ip_vs на нодах"
    ),
    "diagnose.ingress_no_ipvs": (
        "http://{node}/ не открывается: порт 80 опубликован через ingress (routing mesh), а ему нужен IPVS, "
        "которого нет в ядре {node}"
    ),
    "diagnose.ingress_no_ipvs.hint": (
        "опубликуйте порт в режиме host, как в уроке (`mode: host` в edge.yaml), и разверните edge заново"
    ),
    "blocked.page": "не проверено: страница {node} не открывается",
    "blocked.page.hint": "сначала добейтесь, чтобы страница открывалась (проверка выше)",
    "diagnose.db_password": (
        "http://{node}/: PHP получает «Access denied» от БД, хотя она healthy: том БД создан с другим паролем"
    ),
    "diagnose.db_password.hint": (
        "mysqladmin ping проходит и при неверном пароле; удалите стек storage и том storage_db_volume на ноде БД "
        "и разверните снова (данные будут потеряны)"
    ),
    "diagnose.db_moved": (
        "на странице {node} нет постов: БД переехала на {db}, где том storage_db_volume новый и пустой; посты "
        "остались в томе на {posts}"
    ),
    "diagnose.db_moved.hint": (
        "`swarmlab lesson run` вернёт БД на {posts} вместе с данными (в части 2 её закрепляет метка storage и "
        "`node.labels.storage == true`)"
    ),
    "diagnose.cloned": (
        "две ноды называются {node} ({ids}, адреса {addresses}): ВМ склонированы с одного образа и сохранили его "
        "имя хоста, и `node.hostname == {node}` подходит к обеим"
    ),
    "diagnose.cloned.hint": (
        "на одной из ВМ: `hostnamectl set-hostname НОВОЕ-ИМЯ`, `docker swarm leave`, затем снова join с токеном "
        "`docker swarm join-token worker` с менеджера (не делайте `docker node rm` ноде, которая ещё Ready)"
    ),
    "diagnose.shared_address": (
        "{nodes} объявляют один адрес {address}: swarm шлёт их трафик overlay и gossip на этот один адрес "
        "(NAT-карта, которая есть у каждой ВМ VirtualBox или Vagrant)"
    ),
    "diagnose.shared_address.hint": (
        "присоедините каждую ноду заново с `--advertise-addr` (и `--data-path-addr`) той карты, через которую ВМ "
        "видят друг друга: `docker swarm leave`, затем `docker swarm join --advertise-addr АДРЕС ...`"
    ),
    "diagnose.advertise_unreachable": (
        "{node} объявляет адрес {address}, до которого другие ноды не достают: swarm выбрал не ту карту ВМ с "
        "двумя картами или адрес NAT"
    ),
    "diagnose.advertise_unreachable.hint": (
        "присоедините {node} заново с `--advertise-addr` адреса, доступного другим ВМ (`docker swarm leave`, "
        "затем `docker swarm join --advertise-addr АДРЕС ...`), или откройте облачный firewall для {address}"
    ),
    "diagnose.two_cards": (
        "у {node} адреса на двух картах ({cards}): `docker swarm init` не может выбрать, какой объявить "
        '("could not choose an IP address to advertise since this system has multiple addresses")'
    ),
    "diagnose.two_cards.hint": (
        "укажите адрес сами: `docker swarm init --advertise-addr {address}` (частный адрес, который видят другие ВМ)"
    ),
    "diagnose.clock": (
        "часы {node} расходятся с {reference} на {apart} с: сертификаты swarm там выглядят просроченными или ещё не "
        'действительными ("x509: certificate has expired or is not yet valid")'
    ),
    "diagnose.clock.hint": (
        "синхронизируйте часы: `timedatectl set-ntp true` на каждой ВМ (или установите chrony), затем снова "
        "присоедините {node}, если ей отказали"
    ),
    "diagnose.overlap": (
        "подсеть lemp-overlay {network} пересекается с собственной сетью {node} ({address}): её задачи и хосты "
        "той сети не различить"
    ),
    "diagnose.overlap.hint": (
        "создайте сеть с диапазоном, которого нет у ВМ: `docker network rm lemp-overlay`, затем "
        "`docker network create -d overlay --subnet 10.200.0.0/24 lemp-overlay` и разверните стеки заново"
    ),
    "diagnose.api_too_old": (
        "{service} говорит на Docker API {client}, а движок {engine} на {node} его не принимает (нужен {floor} "
        'или новее): "client version {client} is too old"'
    ),
    "diagnose.api_too_old.hint": (
        "возьмите Portainer 2.33.5 LTS или 2.36 и новее (portainer/agent и portainer/portainer-ce) в compose-файле "
        'панели или разрешите движку старых клиентов: `"min-api-version": "{client}"` в /etc/docker/daemon.json '
        "и перезапуск docker"
    ),
    "diagnose.nftables": (
        "движок {node} использует firewall nftables, с которым swarm не работает: сети overlay и опубликованные "
        "порты там не действуют"
    ),
    "diagnose.nftables.hint": (
        'оставьте iptables на нодах swarm: уберите `"firewall-backend": "nftables"` из /etc/docker/daemon.json на '
        "{node} и перезапустите docker"
    ),
    "blocked.unreachable": "не проверено: {node} недоступна ({reason})",
    "blocked.unreachable.hint": "проверьте адрес, пользователя и ключ узла {node} в инвентаре",
    "blocked.unreadable": "не проверено: состояние {node} не прочитано ({reason})",
    "blocked.unreadable.hint": "проверьте адрес, пользователя и ключ узла {node} в инвентаре",
    "blocked.no_docker": "не проверено: Docker не отвечает на {node}",
    "blocked.no_docker.hint": "сначала исправьте этап init",
    "blocked.no_swarm": "не проверено: на {node} нет кластера",
    "blocked.no_swarm.hint": "сначала `docker swarm init` на {node}",
    "blocked.service": "не проверено: сервиса {service} нет",
    "blocked.service.hint": "сначала разверните его стек",
    "blocked.network": "не проверено: сети {network} нет",
    "blocked.network.hint": "сначала создайте её (этап network)",
    "blocked.no_task": "не проверено: у {service} нет ни одной работающей задачи",
    "blocked.no_task.hint": "сначала добейтесь, чтобы {service} работал (этап stacks)",
    "blocked.no_gateway_on": "не проверено: на {node} не работает gateway",
    "blocked.no_gateway_on.hint": "сначала добейтесь, чтобы edge_gateway работал на {node}",
    "blocked.db_unhealthy": "не проверено: БД не здорова ({health})",
    "blocked.db_unhealthy.hint": "сначала исправьте storage_db",
    "blocked.one_php_node": "не проверено: php-fpm работает только на {nodes}",
    "blocked.one_php_node.hint": "сначала распределите php-fpm по нодам (этап stacks)",
    "blocked.overlay": "не проверено: overlay не пропускает пакеты: {pairs}",
    "blocked.overlay.hint": "сначала исправьте связь между нодами (этап connectivity)",
    "blocked.template": "не проверено: имя хоста php-fpm «{template}» не показывает ноду",
    "blocked.template.hint": "сначала верните шаблон hostname из урока (этап stacks)",
    "blocked.no_small_pings": "не проверено: между нодами не проходят и малые пакеты",
    "blocked.no_small_pings.hint": "сначала исправьте связь между нодами (проверка выше)",
    "not_applicable.one_node": "не относится к кластеру из одной ноды",
    "not_applicable.one_node.hint": "—",
    "error": "проверка не выполнена: {reason}",
    "error.hint": "проверьте доступ к нодам",
    # -- the gradebook's page ---------------------------------------------------------------------------------------
    "book.title": "Ведомость",
    "book.roster": "список",
    "book.rubric": "критерии",
    "book.graded": "проверено",
    "book.name": "имя",
    "book.total": "итого",
    "book.status": "статус",
    "book.stage": "этап",
    "book.check": "проверка",
    "book.outcome": "результат",
    "book.points": "баллы",
    "book.detail": "что не так → что сделать",
    "book.failed": "не пройдена",
    "book.blocked": "не проверена",
    "book.all_passed": "Все проверки пройдены.",
    "book.passed_list": "Пройденные проверки",
    "book.students": "студентов",
    "book.average": "средний балл",
    # -- the dashboard's, the class board's and the panel's pages (served to their scripts as JSON) --------------------
    "page.cluster": "Кластер",
    "page.overlay": "Оверлейная сеть",
    "page.lesson": "Этапы урока",
    "page.part": "часть",
    "page.waiting": "Читаю кластер…",
    "page.disconnected": "Нет связи с дашбордом: переподключаюсь…",
    "page.live": "обновлено",
    "page.reading": "читаю…",
    "page.round": "обновление",
    "page.seconds": "с",
    "page.every": "каждые",
    "page.manager": "менеджер",
    "page.worker": "воркер",
    "page.leader": "лидер",
    "page.engine": "Docker",
    "page.labels": "метки",
    "page.unreachable": "недоступна",
    "page.not_in_swarm": "не в swarm",
    "page.not_in_inventory": "нет в инвентаре",
    "page.page": "страница",
    "page.posts": "постов",
    "page.host": "Хост",
    "page.port": "порт",
    "page.health": "здоровье",
    "page.previous": "перед этим",
    "page.unassigned": "Без ноды",
    "page.no_tasks": "задач нет",
    "page.exit": "код выхода",
    "page.stale": "ошибка чтения, показано последнее удачное",
    "page.services": "сервисы",
    "page.running": "запущено",
    "page.no_network": "Сети lemp-overlay нет: её создаёт этап network.",
    "page.ping_ok": "пинг проходит",
    "page.ping_mtu": "малый пакет проходит, большой (1400 Б) нет",
    "page.ping_fail": "пинг не проходит",
    "page.resolves": "разрешается в",
    "page.dnsrr": "DNS round-robin",
    "page.vip": "VIP",
    "page.pages": "Страницы нод",
    "page.evidence": "факты",
    "page.passed": "пройдена",
    "page.failed": "не пройдена",
    "page.blocked": "не проверена",
    "page.not_applicable": "не относится",
    "page.n_passed": "пройдено",
    "page.n_failed": "не пройдено",
    "page.n_blocked": "не проверено",
    "page.n_not_applicable": "не относится",
    "page.s": "с",
    "page.min": "мин",
    "page.h": "ч",
    "page.d": "д",
    "page.ago": "назад",
    "page.board": "Ведомость",
    "page.roster": "список",
    "page.rubric": "критерии",
    "page.graded": "проверено",
    "page.students": "студентов",
    "page.average": "средний балл",
    "page.name": "имя",
    "page.total": "итого",
    "page.status": "статус",
    "page.grading": "проверяю",
    "page.not_graded": "ещё не проверен",
    "page.close": "Закрыть",
    "page.all_passed": "Все проверки этапа пройдены.",
    "page.stage": "этап",
    "page.points": "баллы",
    "page.no_checks": "Проверок нет.",
    "page.all_stages": "все этапы",
    "page.answers": "ответы",
    "page.given": "ответ",
    "page.no_answers": "Ответы не сданы.",
    "page.answers_refused": "ответы не приняты",
    "page.same_cause": "по той же причине, что выше",
    "page.stage.init": "swarm на менеджере",
    "page.stage.join": "воркеры в кластере",
    "page.stage.network": "сеть lemp-overlay",
    "page.stage.sync": "файлы урока на нодах",
    "page.stage.stacks": "стеки edge, core, storage",
    "page.stage.labels": "метки нод",
    "page.stage.placement": "размещение по меткам",
    "page.stage.vip": "имена сервисов в DNS",
    "page.stage.connectivity": "связь между нодами",
    "page.stage.panel": "панель Portainer",
    "page.stage.pages": "страница на каждой ноде",
    "page.stage.teardown": "стеки удалены",
    "page.panel.stacks": "Стеки",
    "page.panel.services": "Сервисы",
    "page.panel.containers": "Контейнеры",
    "page.panel.volumes": "Тома",
    "page.panel.visualiser": "Визуализация кластера",
    "page.panel.waiting": "Читаю кластер через агентов…",
    "page.panel.logout": "Выйти",
    "page.panel.readonly": (
        "Панель читает кластер через агентов portainer_agent. На вкладке «Сервисы», как в Portainer, можно менять "
        "число реплик, обновлять образ и удалять сервис — каждое изменение нужно сначала подтвердить."
    ),
    "page.panel.actions": "Управление",
    "page.panel.scale": "Масштабировать",
    "page.panel.update": "Обновить образ",
    "page.panel.remove": "Удалить",
    "page.panel.confirm_scale": "Изменить число реплик",
    "page.panel.confirm_image": "Обновить образ",
    "page.panel.confirm_remove": "Удалить сервис",
    "page.panel.apply": "Подтвердить",
    "page.panel.cancel": "Отмена",
    "page.panel.sending": "Отправляю агенту на manager…",
    "page.panel.planning": "Считаю, что произойдёт…",
    "page.panel.name": "Имя",
    "page.panel.stack": "Стек",
    "page.panel.mode": "Режим",
    "page.panel.image": "Образ",
    "page.panel.replicas": "Реплики (работает/нужно)",
    "page.panel.placement": "Ограничения размещения",
    "page.panel.nodes": "Ноды",
    "page.panel.ports": "Порты",
    "page.panel.state": "Состояние",
    "page.panel.service": "Сервис",
    "page.panel.started": "Запущен",
    "page.panel.node": "Нода",
    "page.panel.driver": "Драйвер",
    "page.panel.used_by": "Используют",
    "page.panel.logs": "Журнал",
    "page.panel.none": "нет",
    "page.panel.no_stacks": "Стеков нет.",
    "page.panel.no_services": "Сервисов нет.",
    "page.panel.no_containers": "Контейнеров нет.",
    "page.panel.no_volumes": "Томов нет.",
    "page.panel.close": "Закрыть",
    "page.panel.empty_log": "Журнал пуст.",
    "page.panel.loading": "Читаю журнал…",
    # -- the panel's forms (its login and first visit) --------------------------------------------------------------
    "form.title": "Панель Swarm (учебная замена Portainer)",
    "form.setup": "Создайте пользователя-администратора",
    "form.login": "Вход",
    "form.setup_note": (
        "Первое открытие панели: задайте имя и пароль администратора (не короче {min} символов). Пароль хранится "
        "только в виде солёного хеша в томе portainer_data."
    ),
    "form.username": "Имя пользователя",
    "form.password": "Пароль",
    "form.confirm": "Повторите пароль",
    "form.create": "Создать пользователя",
    "form.enter": "Войти",
    "form.bad_username": "Имя: до 64 букв, цифр, точек, дефисов или подчёркиваний.",
    "form.short_password": "Пароль короче {min} символов.",
    "form.mismatch": "Пароли не совпадают.",
    "form.throttled": "Слишком много неверных попыток для этого имени или с этого адреса: подождите и попробуйте ещё.",
    "form.timed_out": (
        "За 5 минут после запуска панели администратор не создан, и форма первого входа закрыта, как её закрывает "
        "Portainer. Перезапустите панель (docker service update --force portainer_portainer) и создайте "
        "администратора в течение 5 минут."
    ),
    "form.wrong": "Неверное имя или пароль.",
    "form.exists": "Администратор уже создан: войдите.",
    # -- the panel's changes on its Services tab (frontends/panel/manage.py) -----------------------------------------
    "magic.panel_first": (
        "панель ещё не открывалась в этом ядре: выполните %panel (он создаёт администратора, пароль хранится только "
        "в памяти ядра)"
    ),
    "magic.panel_scale": "--scale СЕРВИС=ЧИСЛО, например --scale core_php-fpm=2: {usage}",
    "magic.panel.confirm": "«Масштабировать»: панель говорит, что произойдёт, и ждёт подтверждения",
    "magic.panel.scaled": "после подтверждения: сервисы, реплики сошлись",
    "manage.no_read": "Панель ещё не прочитала кластер: подождите следующего чтения.",
    "manage.no_action": "Панель не умеет «{action}»: только менять число реплик, обновлять образ и удалять сервис.",
    "manage.no_service": "Сервиса {service} нет в последнем чтении кластера (уже удалён?).",
    "manage.global": (
        "{service} — глобальный сервис (mode: global): по одной задаче на каждой подходящей ноде, числа реплик у него "
        "нет."
    ),
    "manage.anywhere": "без ограничений",
    "manage.nowhere": "ни одна нода не подходит, задачи останутся в Pending",
    "manage.even": "по {count} на каждой из нод {nodes}",
    "manage.uneven": "по {low}–{high} на нодах {nodes}",
    "manage.scale": (
        "Сервис {service}: было {old} реплик, станет {new} (как `docker service scale {service}={new}`). "
        "Размещение {constraints}: {spread}."
    ),
    "manage.away": (
        "В файле стека урока их {wanted}: проверка реплик не пройдёт, пока стек не развернут заново "
        "(`./up.sh {stack}` в lemp2 или `swarmlab lesson run --part 2`)."
    ),
    "manage.dnsrr": (
        "php-fpm в режиме dnsrr: шлюзы {gateway} узнали адреса его задач при своём старте и о новых задачах не знают, "
        "пока не перезапущены (обновите образ {gateway} тем же образом)."
    ),
    "manage.no_image": (
        "Образа {image} нет на всех нодах, где может работать {service}: без реестра задачи там не запустятся."
    ),
    "manage.image": (
        "Все задачи {service} ({count}) будут заменены, по {parallelism} за раз ({order}), задачами с образом {image} "
        "(как `docker service update --image {image} {service}`). Следующий `docker stack deploy` вернёт образ из "
        "файла стека."
    ),
    "manage.restart": (
        "Тот же образ {image}: все задачи {service} ({count}) будут перезапущены, по {parallelism} за раз ({order}), "
        "это rolling restart (как `docker service update --force {service}`)."
    ),
    "manage.remove": (
        "Сервис {service} будет удалён (`docker service rm {service}`): его задачи ({count}: {where}) остановятся, "
        "стек {stack} останется без него; тома и сети останутся."
    ),
    "manage.redeploy": "Вернуть его: `./up.sh {stack}` в папке урока (docker stack deploy).",
    "manage.self.portainer_portainer": (
        "Это сама панель: страница перестанет отвечать, пока стек portainer не развернут заново."
    ),
    "manage.self.portainer_agent": "Через эти агенты панель читает кластер: без них она перестанет его видеть.",
    "manage.done": "{service}: Docker принял изменение, кластер сходится — следите за списками и визуализацией.",
    "manage.failed": "{service}: Docker отказал: {why}",
    "manage.token": "Форма без токена этой сессии: обновите страницу и повторите.",
    # -- the notebooks' magics --------------------------------------------------------------------------------------
    "magic.no_cluster": "кластер не выбран: выполните первую ячейку тетради (%cluster)",
    "magic.missing": "не хватает аргументов: {usage}",
    "magic.no_value": "{name} без значения: {usage}",
    "magic.page_failed": "http://{node}{path}: {why}; проверьте, что стек edge запущен (тетрадь 04)",
    "magic.arguments": "непонятные аргументы {given}: {usage}",
    "magic.inventory": "инвентарь {path}",
    "magic.lab_starting": (
        "Лаборатория «{lab}» не запущена: поднимаю её (swarmlab lab up --lab {lab} --nodes {nodes}), первый раз "
        "это займёт несколько минут…"
    ),
    "magic.lab": "лаборатория «{lab}»",
    "magic.cluster": "Кластер: {where}; ноды: {nodes} (manager: {manager})",
    "magic.command_failed": "команда на {node} завершилась с кодом {status}: смотрите вывод выше",
    "magic.env_name": "--env {name}: нужно имя переменной Python, например php_ip",
    "magic.env_missing": "в тетради нет переменной {name}: выполните ячейку, которая её задаёт",
    "magic.cell_failed": (
        "на {node} команда завершилась с кодом {status}: выполнение ячейки остановлено на ней (set -e), смотрите "
        "вывод выше"
    ),
    "magic.joined_already": "{worker} уже в кластере",
    "magic.not_manager": "{manager} не менеджер кластера: сначала выполните тетрадь 01_init",
    "magic.one_step": "один шаг за раз: {usage} (получено: {given})",
    "magic.seconds": "--timeout {timeout}: нужно число секунд ({usage})",
    "magic.not_deployed": "{service}: не развёрнут",
    "magic.failing": " падают",
    "magic.running": " запущены",
    "magic.not_read": "состояние ещё не прочитано",
    "magic.overlay_wait": "overlay: каждая нода видит все задачи php-fpm",
    "magic.overlay_done": "overlay: каждая нода видит все задачи php-fpm и достаёт до них",
    "magic.stages": "этапы",
    "magic.part_or_lang": "неизвестная часть или язык ({part}, {lang}): {usage}",
    "magic.no_stage": "в части {part} нет этапа {stages}: {usage}",
    "magic.checking": "проверка: {stages}",
    "magic.stage_failed": "этап {stages} не пройден: исправьте по подсказкам в таблице и выполните ячейку снова",
    "magic.pages_head": "страница|HTTP|Хост (php-fpm)|посты",
    "magic.no_arguments": "%panel не принимает аргументов: {given}",
    "magic.waited_in_vain": "не дождались: {what}",
    "magic.tasks_fail": "{service}: задачи падают на {nodes} ({errors})",
    "magic.panel.setup": "первый вход: панель просит создать администратора",
    "magic.panel.login": "администратор уже создан: панель просит войти (пароль знаете только вы)",
    "magic.panel.stacks": "стеки",
    "magic.panel.services": "сервисы: реплики и размещение",
    "magic.panel.containers": "контейнеры по нодам, у каждого журнал",
    "magic.panel.volumes": "тома",
    "magic.panel.visualiser": "визуализатор кластера",
    # -- the lesson's questions, answered from the student's own cluster (checks/questions.py) ----------------------
    "question.manager_id": "ID ноды manager (строка, которую docker node ls отмечает звёздочкой *)",
    "question.manager_id.where": "на manager: docker node ls, первая колонка строки со звёздочкой *",
    "question.db_node": "Нода, на которой работает storage_db",
    "question.db_node.where": "на manager: docker service ps storage_db, колонка NODE у запущенной задачи",
    "question.vip": "Виртуальный IP (VIP) сервиса core_php-fpm в сети lemp-overlay",
    "question.vip.where": "на manager: docker inspect service core_php-fpm, Endpoint.VirtualIPs, поле Addr",
    "question.ping_php_fpm": "Адрес, с которого отвечает `ping php-fpm` внутри контейнера gateway",
    "question.ping_php_fpm.where": (
        "на ноде: docker exec -it <её контейнер edge_gateway> ping -c 2 php-fpm, адрес в скобках"
    ),
    "question.container_ip": "Адрес одного из контейнеров ноды manager в сети lemp-overlay",
    "question.container_ip.where": "на manager: docker network inspect lemp-overlay, секция Containers, IPv4Address",
    "question.php_fpm_hostnames": "Названия хостов php-fpm, которые показывает страница при обновлении (через запятую)",
    "question.php_fpm_hostnames.where": "откройте http://<нода>/ и обновляйте: строка «Хост - ...» меняется",
    "question.gateway_nodes": "Ноды, на которые метки поместили edge_gateway (через запятую)",
    "question.gateway_nodes.where": "на manager: docker service ps edge_gateway, колонка NODE",
    "question.php_fpm_nodes": "Ноды, на которые метки поместили core_php-fpm (через запятую)",
    "question.php_fpm_nodes.where": "на manager: docker service ps core_php-fpm, колонка NODE",
    "question.right": "верно",
    "question.moved": "верно для недавней истории кластера: задача с тех пор переехала или заменена",
    "question.wrong": "не то, что показывает этот кластер",
    "question.unanswered": "ответа пока нет",
    "question.not_among": "{value} нет среди того, что показывает этот кластер",
    "question.too_few": "их {count}: обновляйте страницу, пока не появятся хотя бы {wanted} разных хоста",
    "question.nodes.some": "на этих нодах он работает, но не только на них: задача есть и на другой ноде",
    "question.manager_id.prefix": "это только начало ID: укажите его целиком, как показывает docker node ls",
    "question.manager_id.other_node": "это ID ноды {node}: строка manager отмечена звёздочкой *",
    "question.manager_id.hostname": "это имя хоста: вопрос об ID ноды (первая колонка)",
    "question.manager_id.cluster": "это ID кластера (docker info), а не ID ноды manager",
    "question.db_node.id": "нода верная, но указана по ID: нужно её имя, как в колонке NODE",
    "question.db_node.hostname": (
        "это имя хоста контейнера БД (по шаблону db-{{{{.Node.Hostname}}}}): укажите имя ноды"
    ),
    "question.db_node.other": "на этой ноде сейчас нет задачи storage_db",
    "question.vip.dnsrr": (
        "core_php-fpm здесь работает с endpoint_mode dnsrr: VIP у него нет, имя php-fpm разрешается прямо в задачи"
    ),
    "question.vip.task": (
        "это адрес контейнера php-fpm (задача {task} на {node}): VIP не принадлежит ни одному контейнеру, это "
        "балансировщик сервиса"
    ),
    "question.vip.endpoint": "это lemp-overlay-endpoint, адрес балансировщика ноды {node}, а не VIP сервиса",
    "question.vip.other_vip": "это VIP сервиса {service}, а не core_php-fpm",
    "question.vip.other_task": "это адрес контейнера {service} (на {node}), а не VIP",
    "question.ping_php_fpm.task": (
        "это адрес одного контейнера php-fpm (на {node}): при endpoint_mode vip имя php-fpm разрешается в VIP, "
        "который не принадлежит ни одному контейнеру"
    ),
    "question.ping_php_fpm.endpoint": "это lemp-overlay-endpoint ноды {node}: имя php-fpm в него не разрешается",
    "question.container_ip.endpoint": ("это lemp-overlay-endpoint, балансировщик сети на {node}: вопрос о контейнере"),
    "question.container_ip.elsewhere": (
        "этот контейнер работает на {node}: docker network inspect на manager показывает только контейнеры manager"
    ),
    "question.container_ip.vip": "это VIP core_php-fpm, которого нет ни у одного контейнера: в этом и суть урока",
    "question.php_fpm_hostnames.gateway": "{value} — имя хоста nginx (edge_gateway): страница показывает php-fpm",
    "question.php_fpm_hostnames.node": "{value} — это нода: страница показывает имя хоста контейнера php-fpm",
    "answer.right": "верно",
    "answer.near": "почти",
    "answer.wrong": "неверно",
    "answer.not_applicable": "не относится",
    "answer.blocked": "не оценён",
    "answer.unanswered": "нет ответа",
    "answer.kept": "сохранено в {path}",
    "answer.history": " (задача, которая с тех пор переехала или заменена, тоже засчитывается)",
    "answer.head": "вопрос|часть|этап|состояние|ответ|где найти",
    "integrity.answers_from": "ответы даны на кластере {other}",
    "integrity.answers_elsewhere": "ответы даны на другом кластере (ID {cluster}), а не на этом",
    "book.questions": "вопросы",
    "magic.answer": "%answer ВОПРОС ЗНАЧЕНИЕ [--part 2] [--lang ru|en] (вопросы: {ids})",
    "magic.answer_missed": "{outcome}: {message}; {hint}",
}
