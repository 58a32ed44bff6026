#!/usr/bin/env bash
# Запуск стеков LEMP в Docker Swarm (выполнять на manager-ноде).
# Deploy the LEMP stacks (run on a manager node).
#   ./up.sh            - меню выбора стека
#   ./up.sh all        - storage, core, затем edge
#   ./up.sh edge|core|storage
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
        # Порядок важен: edge (nginx) не стартует, пока нет сервиса php-fpm
        deploy storage
        deploy core
        deploy edge
        ;;
    edge | core | storage)
        ensure_network
        deploy "$target"
        ;;
    *)
        usage
        exit 2
        ;;
esac
