<?php
// Скрипт инициализации: создаёт таблицу posts и добавляет три поста, если таблица пуста.
// Повторный запуск ничего не дублирует.
// Init script: creates the posts table and adds three posts when it is empty (idempotent).

require __DIR__ . '/db.php';

$pdo = db();
try {
    $pdo->exec('CREATE TABLE IF NOT EXISTS posts (
        id INT AUTO_INCREMENT PRIMARY KEY,
        text VARCHAR(255) NOT NULL
    ) DEFAULT CHARSET=utf8mb4');

    $added = 0;
    if ((int) $pdo->query('SELECT COUNT(*) FROM posts')->fetchColumn() === 0) {
        // Явные id 1-3 и INSERT IGNORE: два одновременных запуска не создадут дубликаты
        $insert = $pdo->prepare('INSERT IGNORE INTO posts (id, text) VALUES (?, ?)');
        $texts = [
            1 => 'Привет из Docker Swarm!',
            2 => 'Nginx, PHP-FPM и MySQL работают в разных стеках.',
            3 => 'Эти данные видны на всех нодах, т.к. база данных одна.',
        ];
        foreach ($texts as $id => $text) {
            $insert->execute([$id, $text]);
            $added += $insert->rowCount();
        }
    }
    $total = (int) $pdo->query('SELECT COUNT(*) FROM posts')->fetchColumn();
} catch (PDOException $e) {
    db_unavailable($e);
}

page_start('Инициализация');
?>
<p id="result">Таблица posts готова. Добавлено постов: <?= h($added) ?>, всего постов: <?= h($total) ?>.</p>
<p><a href="/">Перейти к списку постов</a></p>
<?php
page_end();
