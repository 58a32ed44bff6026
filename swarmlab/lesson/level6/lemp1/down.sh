#!/usr/bin/env bash
# Остановка (удаление) стеков LEMP. Том БД storage_db_volume не удаляется.
# Remove the LEMP stacks. The database volume storage_db_volume is kept.
#   ./down.sh            - меню выбора стека
#   ./down.sh all        - все три стека
#   ./down.sh edge|core|storage
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/compose"

usage() {
    echo "Использование: $0 [all|edge|core|storage]" >&2
}

# Меню, если стек не передан аргументом
choose() {
    local PS3="Какой стек остановить? (номер): " choice
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
        docker stack rm edge core storage
        ;;
    edge | core | storage)
        docker stack rm "$target"
        ;;
    *)
        usage
        exit 2
        ;;
esac
