<?php
// Подключение к базе данных и общие функции страниц.
// Database connection and page helpers shared by index.php and init.php.

// Параметры из storage.yaml: сервис "db", MYSQL_DATABASE и MYSQL_ROOT_PASSWORD
const DB_HOST = 'db';
const DB_NAME = 'lemp-db';
const DB_USER = 'root';
const DB_PASSWORD = 'lemp-pass';

// Экранирование всего, что выводится в HTML
function h($value): string
{
    return htmlspecialchars((string) $value, ENT_QUOTES | ENT_SUBSTITUTE, 'UTF-8');
}

// Имя хоста контейнера php-fpm, обработавшего запрос (например, php-fpm-worker-1)
function host_name(): string
{
    return $_SERVER['HOSTNAME'] ?? (getenv('HOSTNAME') ?: gethostname());
}

function page_start(string $title): void
{
    header('Content-Type: text/html; charset=utf-8');
    echo "<!DOCTYPE html>\n<html lang=\"ru\">\n<head>\n";
    echo "<meta charset=\"utf-8\">\n<title>" . h($title) . "</title>\n</head>\n<body>\n";
    echo '<h1 id="host">Хост - ' . h(host_name()) . "</h1>\n";
}

function page_end(): void
{
    echo "</body>\n</html>\n";
}

// Ответ 503, если база данных недоступна (стек storage не запущен или БД ещё стартует)
function db_unavailable(Throwable $e): never
{
    http_response_code(503);
    header('Retry-After: 5');
    page_start('База данных недоступна');
    echo '<p id="error">База данных недоступна (хост "' . h(DB_HOST) . '"). '
        . "Проверьте, что стек storage запущен и БД готова, и обновите страницу.</p>\n";
    echo '<pre>' . h($e->getMessage()) . "</pre>\n";
    page_end();
    exit;
}

// Соединение с БД; при ошибке - страница 503 вместо фатальной ошибки PHP
function db(): PDO
{
    $dsn = 'mysql:host=' . DB_HOST . ';dbname=' . DB_NAME . ';charset=utf8mb4';
    try {
        // "@" прячет предупреждение mysqlnd: об ошибке сообщит исключение
        $pdo = @new PDO($dsn, DB_USER, DB_PASSWORD, [
            PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION,
            PDO::ATTR_DEFAULT_FETCH_MODE => PDO::FETCH_ASSOC,
            PDO::ATTR_TIMEOUT => 3, // секунд на подключение
        ]);
        $pdo->exec('SET NAMES utf8mb4');
        return $pdo;
    } catch (PDOException $e) {
        db_unavailable($e);
    }
}
