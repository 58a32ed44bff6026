#!/usr/bin/env bash
# Перезапуск стеков LEMP: down.sh, ожидание удаления сервисов, up.sh.
# Restart the LEMP stacks: down.sh, wait until their services are gone, up.sh.
#   ./restart.sh            - меню выбора стека
#   ./restart.sh all        - все три стека
#   ./restart.sh edge|core|storage
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/compose"

WAIT_SECONDS=60

usage() {
    echo "Использование: $0 [all|edge|core|storage]" >&2
}

# Меню, если стек не передан аргументом
choose() {
    local PS3="Какой стек перезапустить? (номер): " choice
    select choice in edge core storage all; do
        if [[ -n "$choice" ]]; then
            echo "$choice"
            return 0
        fi
        echo "Нет такого пункта: $REPLY" >&2
    done
    echo >&2 # конец ввода (Ctrl+D)
    return 1
}

# Сервисы и контейнеры этой ноды, ещё принадлежащие стекам
leftovers() {
    local stack
    for stack in "$@"; do
        docker service ls -q --filter "label=com.docker.stack.namespace=$stack"
        docker ps -q --filter "label=com.docker.stack.namespace=$stack"
    done
}

# Ждём (не дольше WAIT_SECONDS), пока docker stack rm удалит сервисы и контейнеры
wait_gone() {
    local waited=0
    while [[ -n "$(leftovers "$@")" ]]; do
        if ((waited >= WAIT_SECONDS)); then
            echo "Стеки $* не удалились за ${WAIT_SECONDS} с" >&2
            exit 1
        fi
        sleep 1
        waited=$((waited + 1))
    done
}

if [[ $# -gt 1 ]]; then
    usage
    exit 2
fi
target=${1:-}
if [[ -z "$target" ]]; then
    target=$(choose) || { echo "Стек не выбран" >&2; usage; exit 2; }
fi

case "$target" in
    all) stacks=(edge core storage) ;;
    edge | core | storage) stacks=("$target") ;;
    *)
        usage
        exit 2
        ;;
esac

../down.sh "$target"
echo "Жду удаления: ${stacks[*]}"
wait_gone "${stacks[@]}"
../up.sh "$target"
