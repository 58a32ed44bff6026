// The panel's lists (stacks, services, containers with their logs, volumes) and the dashboard's visualiser,
// redrawn from one snapshot stream. Nothing here sends anything but reads: the panel changes nothing.
"use strict";

const PANEL_WORDS = {
  ru: {
    stacks: "Стеки", services: "Сервисы", containers: "Контейнеры", volumes: "Тома", visualiser: "Визуализация кластера",
    waiting: "Читаю кластер через агентов…", logout: "Выйти",
    readonly: "Только чтение: панель показывает кластер через агентов portainer_agent и ничего в нём не меняет. " +
      "В настоящем Portainer на вкладке «Сервисы» можно менять число реплик; здесь — только смотреть.",
    name: "Имя", stack: "Стек", mode: "Режим", image: "Образ", replicas: "Реплики (работает/нужно)",
    placement: "Ограничения размещения", nodes: "Ноды", ports: "Порты", state: "Состояние", service: "Сервис",
    started: "Запущен", node: "Нода", driver: "Драйвер", used_by: "Используют", logs: "Журнал", none: "нет",
    no_stacks: "Стеков нет.", no_services: "Сервисов нет.", no_containers: "Контейнеров нет.", no_volumes: "Томов нет.",
    close: "Закрыть", empty_log: "Журнал пуст.", loading: "Читаю журнал…",
  },
  en: {
    stacks: "Stacks", services: "Services", containers: "Containers", volumes: "Volumes", visualiser: "Cluster visualiser",
    waiting: "Reading the cluster through the agents…", logout: "Log out",
    readonly: "Read only: the panel shows the cluster through the portainer_agent agents and changes nothing in it. " +
      "The real Portainer can scale a service on its Services tab; here you can only look.",
    name: "Name", stack: "Stack", mode: "Mode", image: "Image", replicas: "Replicas (running/wanted)",
    placement: "Placement constraints", nodes: "Nodes", ports: "Ports", state: "State", service: "Service",
    started: "Started", node: "Node", driver: "Driver", used_by: "Used by", logs: "Logs", none: "none",
    no_stacks: "No stacks.", no_services: "No services.", no_containers: "No containers.", no_volumes: "No volumes.",
    close: "Close", empty_log: "The log is empty.", loading: "Reading the log…",
  },
};

let latest = null;

function p(key) {
  return (PANEL_WORDS[LANG] || PANEL_WORDS.ru)[key] || t(key);
}

document.addEventListener("DOMContentLoaded", () => {
  panelWords();
  showTab();
  window.addEventListener("hashchange", showTab);
  document.getElementById("logs").addEventListener("click", (event) => {
    if (event.target.closest("[data-close]")) document.getElementById("logs").hidden = true;
  });
  document.getElementById("view-containers").addEventListener("click", (event) => {
    const button = event.target.closest("button[data-logs]");
    if (button) showLogs(button.dataset.node, button.dataset.logs, button.dataset.name);
  });
  follow(render);
});

function panelWords() {
  document.querySelectorAll("[data-p]").forEach((el) => { el.textContent = p(el.dataset.p); });
  document.getElementById("offline").textContent = t("disconnected");
}

function showTab() {
  const wanted = (location.hash || "#stacks").slice(1);
  const tab = document.querySelector(`[data-view="${CSS.escape(wanted)}"]`) ? wanted : "stacks";
  document.querySelectorAll("[data-view]").forEach((el) => { el.hidden = el.dataset.view !== tab; });
  document.querySelectorAll("[data-tab]").forEach((el) => { el.classList.toggle("on", el.dataset.tab === tab); });
}

function render(data) {
  latest = data;
  panelWords();
  document.title = `${p("services")} · swarmlab panel`;
  document.getElementById("subtitle").textContent =
    `${data.manager || ""} · ${t("every")} ${data.refresh.interval} ${t("s")} · ${t("round")} ${data.refresh.round}`;
  const banners = [];
  if (data.refresh.error) banners.push(`<div class="banner" data-banner="read">${esc(t("stale"))}: ${esc(data.refresh.error)}</div>`);
  if (data.manager_error) banners.push(`<div class="banner soft" data-banner="manager">${esc(data.manager)}: ${esc(data.manager_error)}</div>`);
  document.getElementById("banners").innerHTML = banners.join("");
  if (!data.panel) return;
  renderStacks(data.panel);
  renderServices(data.panel);
  renderContainers(data.panel);
  renderVolumes(data.panel);
  renderCluster(data);
  renderOverlay(data);
}

function table(columns, rows, empty) {
  if (!rows.length) return `<p class="empty">${esc(p(empty))}</p>`;
  return `<table class="list"><thead><tr>${columns.map((c) => `<th>${esc(p(c))}</th>`).join("")}</tr></thead>` +
    `<tbody>${rows.join("")}</tbody></table>`;
}

function renderStacks(panel) {
  const rows = panel.stacks.map((s) => `<tr data-stack="${esc(s.name)}"><td><b>${esc(s.name)}</b></td>` +
    `<td>${esc(s.services.join(", "))} (${s.services.length})</td></tr>`);
  document.getElementById("view-stacks").innerHTML =
    `<h2>${esc(p("stacks"))}</h2>` + table(["name", "services"], rows, "no_stacks");
}

function renderServices(panel) {
  const rows = panel.services.map((s) => {
    const constraints = s.constraints.length
      ? s.constraints.map((c) => `<span class="constraint">${esc(c)}</span>`).join("") : esc(p("none"));
    const nodes = Object.entries(s.nodes).map(([n, count]) => `${esc(n)}=${count}`).join(", ") || "—";
    return `<tr data-service="${esc(s.name)}"><td><b>${esc(s.name)}</b></td><td>${esc(s.stack || "—")}</td>` +
      `<td>${esc(s.mode)}</td><td class="mono">${esc(s.image)}</td>` +
      `<td class="num ${s.running < s.wanted ? "short" : ""}" data-replicas>${s.running}/${s.wanted}</td>` +
      `<td data-placement>${constraints}</td><td data-nodes>${nodes}</td><td>${esc(s.ports.join(", ") || "—")}</td></tr>`;
  });
  document.getElementById("view-services").innerHTML = `<h2>${esc(p("services"))}</h2>` +
    table(["name", "stack", "mode", "image", "replicas", "placement", "nodes", "ports"], rows, "no_services");
}

function renderContainers(panel) {
  const nodes = [...new Set(panel.containers.map((c) => c.node))];
  const parts = nodes.map((node) => {
    const rows = panel.containers.filter((c) => c.node === node).map((c) =>
      `<tr data-container="${esc(c.name)}"><td><b>${esc(c.name)}</b></td>` +
      `<td>${esc(c.state)}${c.health ? ` (${esc(c.health)})` : ""}</td><td class="mono">${esc(c.image)}</td>` +
      `<td>${esc(c.service || "—")}</td><td>${esc(clock(c.started))}</td>` +
      `<td><button type="button" class="logs" data-logs="${esc(c.id)}" data-node="${esc(node)}" ` +
      `data-name="${esc(c.name)}">${esc(p("logs"))}</button></td></tr>`);
    return `<h3 class="nodehead" data-node="${esc(node)}">${esc(node)}</h3>` +
      table(["name", "state", "image", "service", "started", "logs"], rows, "no_containers");
  });
  document.getElementById("view-containers").innerHTML = `<h2>${esc(p("containers"))}</h2>` +
    (parts.join("") || `<p class="empty">${esc(p("no_containers"))}</p>`);
}

function renderVolumes(panel) {
  const rows = panel.volumes.map((v) => `<tr data-volume="${esc(v.name)}" data-node="${esc(v.node)}">` +
    `<td><b>${esc(v.name)}</b></td><td>${esc(v.node)}</td><td>${esc(v.driver)}</td><td>${esc(v.stack || "—")}</td>` +
    `<td>${esc(v.used_by.join(", ") || "—")}</td></tr>`);
  document.getElementById("view-volumes").innerHTML = `<h2>${esc(p("volumes"))}</h2>` +
    table(["name", "node", "driver", "stack", "used_by"], rows, "no_volumes");
}

async function showLogs(node, container, name) {
  const aside = document.getElementById("logs");
  const head = `<button class="close" title="${esc(p("close"))}" data-close>×</button>` +
    `<h2>${esc(p("logs"))}: ${esc(name)}</h2><div class="status">${esc(node)}</div>`;
  aside.innerHTML = head + `<p class="empty">${esc(p("loading"))}</p>`;
  aside.hidden = false;
  const answer = await fetch(`/api/logs?node=${encodeURIComponent(node)}&container=${encodeURIComponent(container)}`);
  const body = await answer.json();
  const text = answer.ok ? (body.lines.length ? body.lines.join("\n") : p("empty_log")) : body.error;
  aside.innerHTML = head + `<pre class="lines" data-log="${esc(name)}">${esc(text)}</pre>`;
}
