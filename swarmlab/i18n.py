"""Words a student or an instructor reads, in Russian (the lesson's language) and English.

One language at a time: with `--lang ru` nothing English reaches a Russian
reader (table headers, statuses, reasons a node cannot be reached). Check
messages and hints live in checking/catalog.py; everything else is here.
"""

LANGS = ("ru", "en")
DEFAULT_LANG = "ru"

TEXT = {
    # why SSH to a node failed
    "ssh.host-key-changed": (
        "ключ хоста {where} изменился с момента записи в {known_hosts}; если ВМ пересоздана, удалите старый ключ "
        "(ssh-keygen -R {host} -f {known_hosts})",
        "the host key of {where} changed since it was recorded in {known_hosts}; if the VM was rebuilt, remove the "
        "old key (ssh-keygen -R {host} -f {known_hosts})"),
    "ssh.auth": (
        "ключ {key} отвергнут для пользователя {user}: добавьте его открытый ключ в ~{user}/.ssh/authorized_keys на ноде",
        "the key {key} was refused for user {user}: add its public key to ~{user}/.ssh/authorized_keys on the node"),
    "ssh.host-key-unknown": (
        "ключа хоста {where} нет в {known_hosts}: проверьте его и запустите снова с --accept-new-host-keys",
        "the host key of {where} is not in {known_hosts}: check it and run again with --accept-new-host-keys"),
    "ssh.dropped": (
        "{where} закрыл соединение во время SSH-рукопожатия",
        "{where} closed the connection during the SSH handshake"),
    "ssh.timeout": (
        "SSH к {where} не ответил за {timeout} с: проверьте адрес и что ВМ запущена",
        "SSH to {where} timed out after {timeout} s: check the address and that the VM runs"),
    "ssh.refused": (
        "соединение с {where} отклонено: проверьте, что sshd запущен и порт верный",
        "connection to {where} refused: check that sshd runs and the port is right"),
    "ssh.unknown-host": (
        "имя {host} не разрешается: проверьте адрес",
        "the name {host} does not resolve: check the address"),
    "ssh.unreachable": (
        "{where} недоступен ({error}): проверьте адрес",
        "{where} cannot be reached ({error}): check the address"),
    "ssh.not-ssh": (
        "{where} отвечает не как SSH-сервер ({error}): проверьте порт",
        "{where} does not answer as an SSH server ({error}): check the port"),
    "ssh.error": (
        "SSH к {where} не удался ({error})",
        "SSH to {where} failed ({error})"),
    "ssh.command-timeout": (
        "команда `{command}` не завершилась за {timeout} с",
        "`{command}` did not finish within {timeout} s"),
    "ssh.connection-dropped": (
        "SSH-соединение оборвалось ({error})",
        "the SSH connection dropped ({error})"),
    # what a browser would say when a page does not come
    "fetch.refused": ("соединение отклонено: на порту 80 никто не слушает",
                      "connection refused: nothing listens on port 80"),
    "fetch.no-answer": ("нет ответа: адрес молчит (файрвол или ВМ выключена)",
                        "no answer: the address is silent (a firewall, or the VM is off)"),
    "fetch.slow-answer": ("соединение принято, но ответ не пришёл вовремя",
                          "the connection was accepted but no answer came in time"),
    "fetch.reset": ("соединение сброшено", "the connection was reset"),
    "fetch.unreachable": ("адрес недоступен с этой машины", "the address cannot be reached from this machine"),
    "fetch.unknown-host": ("имя не разрешается", "the name does not resolve"),
    # check results, as tables and reports show them
    "outcome.passed": ("пройдена", "passed"),
    "outcome.failed": ("не пройдена", "failed"),
    "outcome.blocked": ("не проверена", "blocked"),
    "outcome.not_applicable": ("не относится", "not applicable"),
    "column.stage": ("этап", "stage"),
    "column.check": ("проверка", "check"),
    "column.outcome": ("результат", "outcome"),
    "column.detail": ("что не так → что сделать", "what is wrong → what to do"),
    # grading statuses
    "grade.all": ("проверено: все проверки пройдены", "graded: every check passed"),
    "grade.some": ("проверено: пройдено {passed} из {count}; исправить первым ({stage}): {message}",
                   "graded: {passed} of {count} checks passed; first to fix ({stage}): {message}"),
    "grade.unreached": ("не проверено: {message}", "not graded: {message}"),
    "grade.late": ("не проверено: проверки не уложились в {timeout} с",
                   "not graded: the checks did not finish within {timeout} s"),
    "grade.broken": ("не проверено: проверки не запустились ({message})",
                     "not graded: the checks could not run ({message})"),
    "grade.reach": ("проверьте manager, port, user и key этого студента в списке",
                    "check this student's manager, port, user and key in the roster"),
    "summary": ("пройдено: {passed}, не пройдено: {failed}, не проверено: {blocked}",
                "{passed} passed, {failed} failed, {blocked} blocked"),
    "summary.not_applicable": (", не относятся к кластеру: {count}", ", {count} not applicable"),
}


def tr(name: str, lang: str = DEFAULT_LANG, **params) -> str:
    ru, en = TEXT[name]
    return (ru if lang == "ru" else en).format(**params)
