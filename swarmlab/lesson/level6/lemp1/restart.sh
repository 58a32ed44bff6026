#!/usr/bin/env bash
# ./restart.sh [all|STACK]: см. exec-stack-cmd.sh (без аргумента - меню). / See exec-stack-cmd.sh (no argument: a menu).
exec "$(dirname "$0")/exec-stack-cmd.sh" restart "$@"
