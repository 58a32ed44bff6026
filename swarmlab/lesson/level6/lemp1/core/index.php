<?php
// Главная страница: имя хоста php-fpm и список постов из БД.
// Main page: the php-fpm host name and the posts from the database.

require __DIR__ . '/db.php';

$pdo = db();
try {
    $hasTable = $pdo->query("SHOW TABLES LIKE 'posts'")->fetchColumn() !== false;
    $posts = $hasTable ? $pdo->query('SELECT id, text FROM posts ORDER BY id')->fetchAll() : [];
} catch (PDOException $e) {
    db_unavailable($e);
}

page_start('Посты');
?>
<table id="posts" border="1" cellpadding="4">
    <tr><th>ID</th><th>Текст</th></tr>
<?php foreach ($posts as $post): ?>
    <tr class="post"><td><?= h($post['id']) ?></td><td><?= h($post['text']) ?></td></tr>
<?php endforeach; ?>
</table>
<?php if (!$hasTable): ?>
<p id="hint">Таблицы постов ещё нет. Откройте <a href="/init.php">/init.php</a>, чтобы создать её и добавить посты.</p>
<?php endif; ?>
<?php
page_end();
