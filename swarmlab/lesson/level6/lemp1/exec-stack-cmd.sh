#!/usr/bin/env bash
# Общий скрипт для up.sh, down.sh и restart.sh: команда над стеками из файлов папки compose/.
# Каждый файл compose/NAME.yaml - стек NAME. Без имени стека показывает меню (первый пункт - все).
# Shared by up.sh, down.sh and restart.sh: one action on the stacks of compose/ (compose/NAME.yaml is stack NAME).
#   ./exec-stack-cmd.sh up|down|restart [all|STACK]
set -euo pipefail
cd "$(dirname "$0")/compose"  # the part whose compose/ holds the stacks, even through a link

NETWORK=lemp-overlay
WAIT_SECONDS=60
mapfile -t STACKS < <(for file in *.yaml; do echo "${file%.yaml}"; done)

usage() {
    echo "Использование: $(basename "$0") up|down|restart [all|$(IFS='|'; echo "${STACKS[*]}")]" >&2
}

# Меню, если стек не передан аргументом
choose() {
    local PS3="$1 (номер): " choice
    select choice in все "${STACKS[@]}"; do
        if [[ -n "$choice" ]]; then
            [[ "$choice" == все ]] && echo all || echo "$choice"
            return 0
        fi
        echo "Нет такого пункта: $REPLY" >&2
    done
    echo >&2 # конец ввода (Ctrl+D)
    return 1
}

# Сеть lemp-overlay создаётся вручную (external: true); если её нет - создаём
ensure_network() {
    if ! docker network inspect "$NETWORK" >/dev/null 2>&1; then
        echo "Создаю сеть $NETWORK"
        docker network create -d overlay "$NETWORK"
    fi
}

up() {
    ensure_network
    local stack
    for stack in "$@"; do
        echo "Запускаю стек $stack"
        docker stack deploy -c "./$stack.yaml" --with-registry-auth "$stack"
    done
}

down() {
    docker stack rm "$@"
}

# Ждём (не дольше WAIT_SECONDS), пока docker stack rm удалит сервисы и контейнеры стеков на этой ноде
wait_gone() {
    local waited=0 stack left
    while :; do
        left=""
        for stack in "$@"; do
            left+=$(docker service ls -q --filter "label=com.docker.stack.namespace=$stack")
            left+=$(docker ps -q --filter "label=com.docker.stack.namespace=$stack")
        done
        [[ -z "$left" ]] && return 0
        if ((waited >= WAIT_SECONDS)); then
            echo "Стеки $* не удалились за ${WAIT_SECONDS} с" >&2
            exit 1
        fi
        sleep 1
        waited=$((waited + 1))
    done
}

action=${1:-}
target=${2:-}
case "$action" in
    up) question="Какой стек запустить?" ;;
    down) question="Какой стек остановить?" ;;
    restart) question="Какой стек перезапустить?" ;;
    *) usage; exit 2 ;;
esac
if [[ $# -gt 2 ]]; then
    usage
    exit 2
fi
if [[ -z "$target" ]]; then
    target=$(choose "$question") || { echo "Стек не выбран" >&2; usage; exit 2; }
fi
if [[ "$target" == all ]]; then
    chosen=("${STACKS[@]}")
elif [[ " ${STACKS[*]} " == *" $target "* ]]; then
    chosen=("$target")
else
    echo "Нет стека $target: есть ${STACKS[*]}" >&2
    usage
    exit 2
fi

case "$action" in
    up) up "${chosen[@]}" ;;
    down) down "${chosen[@]}" ;;
    restart)
        down "${chosen[@]}"
        echo "Жду удаления: ${chosen[*]}"
        wait_gone "${chosen[@]}"
        up "${chosen[@]}"
        ;;
esac
