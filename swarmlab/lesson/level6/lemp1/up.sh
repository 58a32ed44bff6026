#!/usr/bin/env bash
# Запуск стеков LEMP в Docker Swarm (выполнять на manager-ноде).
# Deploy the LEMP stacks (run on a manager node).
#   ./up.sh            - меню выбора стека
#   ./up.sh all        - сеть lemp-overlay (если её нет), storage, core, затем edge
#   ./up.sh edge|core|storage
# После запуска core уже работающий edge_gateway перезапускается (см. refresh_edge).
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/compose"

NETWORK=lemp-overlay

usage() {
    echo "Использование: $0 [all|edge|core|storage]" >&2
}

# Меню, если стек не передан аргументом
choose() {
    local PS3="Какой стек запустить? (номер): " choice
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

# Сеть overlay общая для всех стеков и создаётся вручную (external: true)
ensure_network() {
    if ! docker network inspect "$NETWORK" >/dev/null 2>&1; then
        echo "Создаю сеть $NETWORK"
        docker network create -d overlay "$NETWORK"
    fi
}

deploy() {
    echo "Запускаю стек $1"
    docker stack deploy -c "./$1.yaml" --with-registry-auth "$1"
}

service_exists() {
    docker service inspect "$1" >/dev/null 2>&1
}

# Ждём (не дольше 60 с), пока запустятся все реплики сервиса, например "6/6"
wait_ready() {
    local replicas running wanted waited=0
    while ((waited < 60)); do
        replicas=$(docker service ls --filter "name=$1" --format '{{.Replicas}}' | head -n 1)
        IFS=/ read -r running wanted <<<"${replicas%% *}"
        if [[ -n "$wanted" && "$running" == "$wanted" ]]; then
            return 0
        fi
        sleep 1
        waited=$((waited + 1))
    done
    echo "Не все реплики $1 запустились за 60 с (${replicas:-нет сервиса})" >&2
}

# Nginx узнаёт адреса php-fpm только при старте. Если edge уже работает, а core
# запущен заново, Nginx отправляет запросы на старые адреса (502): перезапускаем его.
refresh_edge() {
    echo "Перезапускаю edge_gateway, чтобы Nginx узнал новые адреса php-fpm"
    docker service update --force --quiet edge_gateway >/dev/null
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
    all)
        ensure_network
        edge_was_running=no
        if service_exists edge_gateway; then edge_was_running=yes; fi
        # Порядок важен: edge (nginx) не стартует, пока нет сервиса php-fpm
        deploy storage
        deploy core
        wait_ready core_php-fpm
        deploy edge
        if [[ "$edge_was_running" == yes ]]; then refresh_edge; fi
        ;;
    core)
        ensure_network
        deploy core
        wait_ready core_php-fpm
        if service_exists edge_gateway; then refresh_edge; fi
        ;;
    edge | storage)
        ensure_network
        deploy "$target"
        ;;
    *)
        usage
        exit 2
        ;;
esac
