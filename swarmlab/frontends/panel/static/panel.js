// The panel's lists (stacks, services, containers with their logs, volumes) and the dashboard's visualiser,
// redrawn from one snapshot stream. The Services tab's forms (scale, update the image, remove) ask the server
// what a change would do, show it for confirmation, and only then send it, with the session's token.
"use strict";

const PANEL_WORDS = {
  ru: {
    stacks: "Стеки", services: "Сервисы", containers: "Контейнеры", volumes: "Тома", visualiser: "Визуализация кластера",
    waiting: "Читаю кластер через агентов…", logout: "Выйти",
    readonly: "Панель читает кластер через агентов portainer_agent. На вкладке «Сервисы», как в Portainer, можно " +
      "менять число реплик, обновлять образ и удалять сервис — каждое изменение нужно сначала подтвердить.",
    actions: "Управление", scale: "Масштабировать", update: "Обновить образ", remove: "Удалить",
    confirm_scale: "Изменить число реплик", confirm_image: "Обновить образ", confirm_remove: "Удалить сервис",
    apply: "Подтвердить", cancel: "Отмена", sending: "Отправляю агенту на manager…", planning: "Считаю, что произойдёт…",
    name: "Имя", stack: "Стек", mode: "Режим", image: "Образ", replicas: "Реплики (работает/нужно)",
    placement: "Ограничения размещения", nodes: "Ноды", ports: "Порты", state: "Состояние", service: "Сервис",
    started: "Запущен", node: "Нода", driver: "Драйвер", used_by: "Используют", logs: "Журнал", none: "нет",
    no_stacks: "Стеков нет.", no_services: "Сервисов нет.", no_containers: "Контейнеров нет.", no_volumes: "Томов нет.",
    close: "Закрыть", empty_log: "Журнал пуст.", loading: "Читаю журнал…",
  },
  en: {
    stacks: "Stacks", services: "Services", containers: "Containers", volumes: "Volumes", visualiser: "Cluster visualiser",
    waiting: "Reading the cluster through the agents…", logout: "Log out",
    readonly: "The panel reads the cluster through the portainer_agent agents. On the Services tab, as in " +
      "Portainer, you can change the replicas, update the image and remove a service; each change asks first.",
    actions: "Manage", scale: "Scale", update: "Update image", remove: "Remove",
    confirm_scale: "Change the replicas", confirm_image: "Update the image", confirm_remove: "Remove the service",
    apply: "Confirm", cancel: "Cancel", sending: "Sending to the manager's agent…", planning: "Working out what happens…",
    name: "Name", stack: "Stack", mode: "Mode", image: "Image", replicas: "Replicas (running/wanted)",
    placement: "Placement constraints", nodes: "Nodes", ports: "Ports", state: "State", service: "Service",
    started: "Started", node: "Node", driver: "Driver", used_by: "Used by", logs: "Logs", none: "none",
    no_stacks: "No stacks.", no_services: "No services.", no_containers: "No containers.", no_volumes: "No volumes.",
    close: "Close", empty_log: "The log is empty.", loading: "Reading the log…",
  },
};

let latest = null;
const edits = {};  // {service: {replicas, image}} typed but not yet sent: kept across redraws

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
  const services = document.getElementById("view-services");
  services.addEventListener("input", (event) => {
    const row = event.target.closest("[data-service]");
    if (row && event.target.dataset.field) {
      edits[row.dataset.service] = { ...edits[row.dataset.service], [event.target.dataset.field]: event.target.value };
    }
  });
  services.addEventListener("submit", (event) => {
    event.preventDefault();
    const form = event.target;
    const row = form.closest("[data-service]");
    const fields = { action: form.dataset.act, service: row.dataset.service };
    form.querySelectorAll("[data-field]").forEach((el) => { fields[el.dataset.field] = el.value; });
    askToConfirm(fields);
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
  const view = document.getElementById("view-services");
  // a field being typed in is not redrawn under the cursor: the next snapshot redraws the tab
  if (view.contains(document.activeElement) && document.activeElement.dataset.field) return;
  const rows = panel.services.map((s) => {
    const constraints = s.constraints.length
      ? s.constraints.map((c) => `<span class="constraint">${esc(c)}</span>`).join("") : esc(p("none"));
    const nodes = Object.entries(s.nodes).map(([n, count]) => `${esc(n)}=${esc(count)}`).join(", ") || "—";
    return `<tr data-service="${esc(s.name)}"><td><b>${esc(s.name)}</b></td><td>${esc(s.stack || "—")}</td>` +
      `<td>${esc(s.mode)}</td><td class="mono">${esc(s.image)}</td>` +
      `<td class="num ${s.running < s.wanted ? "short" : ""}" data-replicas>${esc(s.running)}/${esc(s.wanted)}</td>` +
      `<td data-placement>${constraints}</td><td data-nodes>${nodes}</td><td>${esc(s.ports.join(", ") || "—")}</td>` +
      `<td class="act">${serviceForms(s)}</td></tr>`;
  });
  view.innerHTML = `<h2>${esc(p("services"))}</h2>` +
    table(["name", "stack", "mode", "image", "replicas", "placement", "nodes", "ports", "actions"], rows, "no_services");
}

function serviceForms(s) {
  const typed = edits[s.name] || {};
  const scale = s.mode === "replicated"
    ? `<form data-act="scale"><input type="number" min="0" max="100" required data-field="replicas" ` +
      `value="${esc(typed.replicas ?? s.replicas)}"><button type="submit" class="act">${esc(p("scale"))}</button></form>`
    : "";
  const chosen = typed.image ?? s.image;
  const options = s.choices.map((image) =>
    `<option value="${esc(image)}"${image === chosen ? " selected" : ""}>${esc(image)}</option>`).join("");
  return scale +
    `<form data-act="image"><select data-field="image">${options}</select>` +
    `<button type="submit" class="act">${esc(p("update"))}</button></form>` +
    `<form data-act="remove"><button type="submit" class="act danger">${esc(p("remove"))}</button></form>`;
}

async function askToConfirm(fields) {
  const aside = document.getElementById("confirm");
  const head = `<button class="close" title="${esc(p("close"))}" data-cancel>×</button>` +
    `<h2>${esc(p(`confirm_${fields.action}`))}: ${esc(fields.service)}</h2>`;
  aside.innerHTML = head + `<p class="empty">${esc(p("planning"))}</p>`;
  aside.hidden = false;
  aside.onclick = (event) => { if (event.target.closest("[data-cancel]")) aside.hidden = true; };
  const answer = await fetch(`/api/plan?${new URLSearchParams(fields)}`);
  const body = await answer.json();
  if (!answer.ok) {
    aside.innerHTML = head + `<p data-outcome="error">${esc(body.error)}</p>`;
    return;
  }
  aside.innerHTML = head + `<p class="said" data-said>${esc(body.said)}</p><code>${esc(body.command)}</code>` +
    `<div class="buttons"><button type="button" data-apply class="${fields.action === "remove" ? "danger" : ""}">` +
    `${esc(p("apply"))}</button><button type="button" data-cancel>${esc(p("cancel"))}</button></div>`;
  aside.querySelector("[data-apply]").onclick = () => change(fields, head);
}

async function change(fields, head) {
  const aside = document.getElementById("confirm");
  aside.innerHTML = head + `<p class="empty">${esc(p("sending"))}</p>`;
  const token = document.querySelector("meta[name=panel-token]").content;
  const answer = await fetch("/api/change", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ ...fields, token }),
  });
  const body = await answer.json();
  if (answer.ok) delete edits[fields.service];
  aside.innerHTML = head + `<p data-outcome="${answer.ok ? "ok" : "error"}">${esc(answer.ok ? body.said : body.error)}</p>` +
    (body.output ? `<pre class="lines">${esc(body.output)}</pre>` : "") +
    `<div class="buttons"><button type="button" data-cancel>${esc(p("close"))}</button></div>`;
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
