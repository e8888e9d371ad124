// The Horizon web console. It keeps no data of its own: every view is read from the exchange's /v1
// API with the signed-in identity's credentials, so it shows exactly what that identity may see
// (a 403 is shown as "not permitted", never worked around). Live updates follow the org's change
// feed. The credentials stay in this tab's sessionStorage and are sent only to this origin.

const OFFLINE_AFTER_MS = 3 * 60 * 1000; // the exchange's default Exchange:NodeOfflineAfter
const STATUS_FETCH_LIMIT = 200; // per-node documents fetched for one pattern page
const session = { org: "", user: "", auth: "" };
let changeId = 0;
let rendering = null;

class ApiError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

async function api(path, { method = "GET", body } = {}) {
  const response = await fetch("/v1" + path, {
    method,
    // X-Requested-With: the exchange then leaves out its Basic challenge, which would make the
    // browser pop up its own password prompt over this page.
    headers: { Authorization: session.auth, "X-Requested-With": "XMLHttpRequest", ...(body ? { "Content-Type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
    cache: "no-store",
  });
  if (response.status === 401) { signOut("Your credentials were refused; sign in again."); throw new ApiError(401, "unauthorized"); }
  if (!response.ok) {
    let detail = response.statusText;
    try { const problem = await response.json(); detail = problem.detail || problem.title || detail; } catch { /* not JSON */ }
    throw new ApiError(response.status, detail);
  }
  return { data: response.status === 204 ? null : await response.json(), next: response.headers.get("X-Next-Cursor") };
}

async function listAll(path) {
  const items = [];
  let cursor = null;
  do {
    const separator = path.includes("?") ? "&" : "?";
    const page = await api(path + (cursor ? `${separator}cursor=${encodeURIComponent(cursor)}` : ""));
    items.push(...(Array.isArray(page.data) ? page.data : []));
    cursor = page.next;
  } while (cursor);
  return items;
}

// Reads that may be refused: the view shows what was refused instead of failing whole.
async function maybe(promise) {
  try { return { value: await promise }; } catch (e) { return { error: e }; }
}

const esc = (text) => String(text ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
const enc = encodeURIComponent;
const refused = (e) => e.status === 403 ? `<p class="muted">Not permitted for ${esc(session.org)}/${esc(session.user)}: ${esc(e.message)}</p>`
  : e.status === 404 ? `<p class="muted">Not reported.</p>` : `<p class="bad">${esc(e.message)}</p>`;

function nodeState(node) {
  if (!node.lastHeartbeat) return "new";
  return Date.now() - Date.parse(node.lastHeartbeat) <= OFFLINE_AFTER_MS ? "online" : "offline";
}

const stateClass = { online: "ok", running: "ok", finalized: "ok", completed: "ok", stopped: "bad", offline: "bad", failed: "bad", cancelled: "bad", terminated: "muted" };
const badge = (state) => `<span class="${stateClass[state] || "warn"}">${esc(state)}</span>`;

function compareVersions(a, b) {
  const pa = String(a).split(/[.-]/).map((p) => (isNaN(+p) ? p : +p));
  const pb = String(b).split(/[.-]/).map((p) => (isNaN(+p) ? p : +p));
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    if (pa[i] === undefined) return -1;
    if (pb[i] === undefined) return 1;
    if (pa[i] < pb[i]) return -1;
    if (pa[i] > pb[i]) return 1;
  }
  return 0;
}

// ---- views -------------------------------------------------------------------------------------

async function fleetView() {
  const org = enc(session.org);
  // Counts, not records: the exchange counts the nodes and each agbot reports its agreements by
  // workload and state, so the overview costs the same with 10 or 10,000 nodes.
  const [status, agbots, patterns] = await Promise.all([
    maybe(api(`/orgs/${org}/status`).then((r) => r.data)),
    maybe(api(`/orgs/${org}/agbots`).then((r) => r.data || [])),
    maybe(api(`/orgs/${org}/patterns`).then((r) => r.data || [])),
  ]);
  let html = `<h1>Fleet of ${esc(session.org)}</h1>`;
  if (status.error) {
    html += `<div class="card">${refused(status.error)}</div>`;
  } else {
    const n = status.value.nodes || {};
    html += `<div class="tiles" id="node-tiles">
      <div class="tile"><div class="n" data-count="total">${n.total || 0}</div><div class="l">${status.value.scope === "owner" ? "nodes you registered" : "nodes"}</div></div>
      <div class="tile"><div class="n ok" data-count="online">${n.online || 0}</div><div class="l">online</div></div>
      <div class="tile"><div class="n bad" data-count="offline">${n.offline || 0}</div><div class="l">offline</div></div>
      <div class="tile"><div class="n muted">${n.new || 0}</div><div class="l">never seen</div></div></div>`;
  }
  html += `<div class="card" id="agreements"><h2>Agreements per pattern and policy</h2>`;
  const rollouts = [];
  if (agbots.error) {
    html += refused(agbots.error);
  } else {
    const reports = await Promise.all(agbots.value.map((agbot) => {
      const id = agbot.id || String(agbot.name || "");
      return maybe(api(`/orgs/${org}/agbots/${enc(id)}/rollouts`).then((r) => ({ id, report: r.data || {} })));
    }));
    const tally = new Map();
    let refusedAny = false;
    for (const reply of reports) {
      if (reply.error) { html += refused(reply.error); refusedAny = true; continue; }
      const { id, report } = reply.value;
      for (const count of report.agreements || []) {
        const [kind, name] = String(count.workload || "").split(":");
        const source = `${kind === "policy" ? "policy" : "pattern"} ${name || count.workload}`;
        const row = tally.get(source) || { source, total: 0, states: {} };
        row.total += count.count;
        row.states[count.state] = (row.states[count.state] || 0) + count.count;
        tally.set(source, row);
      }
      rollouts.push(...(report.rollouts || []).map((r) => ({ ...r, agbot: id })));
    }
    html += tally.size === 0 ? (refusedAny ? "" : `<p class="muted">No agreements reported by this org's agbots.</p>`) : `<table><thead><tr><th>Workload source</th><th>Agreements</th><th>By state</th></tr></thead><tbody>${
      [...tally.values()].map((r) => `<tr><td>${esc(r.source)}</td><td>${r.total}</td><td>${Object.entries(r.states).map(([s, k]) => `${badge(s)} ${k}`).join(", ")}</td></tr>`).join("")}</tbody></table>`;
  }
  html += `</div><div class="card" id="rollouts"><h2>Rollouts</h2>`;
  html += rollouts.length === 0 ? `<p class="muted">No rollout reported by this org's agbots.</p>` : `<table><thead><tr><th>Workload</th><th>Version</th><th>State</th><th>Batch</th><th>Updates so far</th><th>Success rate</th></tr></thead><tbody>${
    rollouts.map((r) => {
      const decided = (r.accepted || 0) + (r.refused || 0) + (r.timedOut || 0);
      const rate = decided === 0 ? null : (r.accepted || 0) / decided;
      return `<tr><td>${esc(r.workload)}</td><td>${esc(r.version)}</td><td>${badge(r.state)}</td><td>${esc(r.state === "completed" ? `${Math.max(1, r.batch - 1)} (all done)` : r.batch)}</td>
        <td>${r.accepted || 0} accepted, ${r.refused || 0} refused, ${r.timedOut || 0} timed out, ${r.pending || 0} pending${r.rolledBack ? `, ${r.rolledBack} rolled back` : ""}</td>
        <td>${rate === null ? "—" : `<div class="bar" title="${Math.round(rate * 100)} %"><span data-rate="${rate}"></span></div> ${Math.round(rate * 100)} %`}</td></tr>`;
    }).join("")}</tbody></table>`;
  html += `</div><div class="card"><h2>Patterns</h2>`;
  html += patterns.error ? refused(patterns.error) : patterns.value.length === 0 ? `<p class="muted">No patterns.</p>`
    : `<ul>${patterns.value.map((p) => `<li><a href="#/pattern/${enc(p.name || p.label || "")}">${esc(p.name || p.label)}</a> ${esc(p.description || "")}</li>`).join("")}</ul>`;
  return html + `</div>`;
}

async function nodesView() {
  const nodes = await maybe(listAll(`/orgs/${enc(session.org)}/nodes?limit=10000`));
  if (nodes.error) return `<h1>Nodes</h1><div class="card">${refused(nodes.error)}</div>`;
  return `<h1>Nodes</h1><div class="card"><table><thead><tr><th>Node</th><th>State</th><th>Pattern</th><th>Arch</th><th>Last heartbeat</th></tr></thead><tbody>${
    nodes.value.map((n) => `<tr><td><a href="#/node/${enc(n.id)}">${esc(n.id)}</a></td><td>${badge(nodeState(n))}</td><td>${esc(n.pattern || "(policy)")}</td><td>${esc(n.arch)}</td><td>${esc(n.lastHeartbeat || "never")}</td></tr>`).join("")}</tbody></table></div>`;
}

async function nodeView(id) {
  const base = `/orgs/${enc(session.org)}/nodes/${enc(id)}`;
  const [node, status, agreements, errors] = await Promise.all([
    maybe(api(base).then((r) => r.data)), maybe(api(base + "/status").then((r) => r.data)),
    maybe(api(base + "/agreements").then((r) => r.data || [])), maybe(api(base + "/errors").then((r) => r.data)),
  ]);
  let html = `<h1>Node ${esc(session.org)}/${esc(id)}</h1>`;
  if (node.error) return html + `<div class="card">${refused(node.error)}</div>`;
  const n = node.value;
  html += `<div class="card" id="facts"><h2>Facts</h2><dl>
    <dt>State</dt><dd>${badge(nodeState(n))}</dd><dt>Pattern</dt><dd>${esc(n.pattern || "(policy)")}</dd>
    <dt>Arch</dt><dd>${esc(n.arch)}</dd><dt>Owner</dt><dd>${esc(n.owner)}</dd>
    <dt>Last heartbeat</dt><dd>${esc(n.lastHeartbeat || "never")}</dd>
    <dt>Registered keys</dt><dd>${n.publicKey ? "identity and encryption keys registered" : "none yet"}</dd>
    ${Object.entries(n.softwareVersions || {}).map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join("")}</dl></div>`;
  // The node's agreements as it recorded them, else as its status reports them (one per service it runs).
  const recorded = agreements.error ? [] : agreements.value.map((a) => ({ id: a.id, service: `${a.agreementService?.orgid}/${a.agreementService?.url}`, version: "", state: a.state, updated: a.lastUpdated }));
  const reported = (status.value?.services || []).map((s) => ({ id: s.agreementId, service: `${s.orgid}/${s.serviceUrl}`, version: s.version, state: s.configState, updated: status.value.lastUpdated }));
  const rows = recorded.length > 0 ? recorded : reported;
  html += `<div class="card" id="node-agreements"><h2>Agreements</h2>`;
  html += agreements.error && status.error ? refused(agreements.error) : rows.length === 0 ? `<p class="muted">No active agreement.</p>`
    : `<table><thead><tr><th>Agreement</th><th>Service</th><th>Version</th><th>State</th><th>Updated</th></tr></thead><tbody>${rows.map((a) =>
      `<tr><td><code>${esc((a.id || "").slice(0, 16))}…</code></td><td>${esc(a.service)}</td><td>${esc(a.version)}</td><td>${badge(a.state)}</td><td>${esc(a.updated)}</td></tr>`).join("")}</tbody></table>`;
  const ended = (errors.value?.errors || []).filter((e) => e.reason && e.agreementId);
  if (ended.length > 0) {
    html += `<h2>Ended with a reason</h2><table><thead><tr><th>Agreement</th><th>Reason</th><th>Message</th></tr></thead><tbody>${ended.slice().reverse().map((e) =>
      `<tr><td><code>${esc(e.agreementId.slice(0, 16))}…</code></td><td class="bad">${esc(e.reason)} ${esc(e.reasonText || "")}</td><td>${esc(e.message)}</td></tr>`).join("")}</tbody></table>`;
  }
  html += `</div><div class="card" id="containers"><h2>Services and containers</h2>`;
  html += status.error ? refused(status.error) : (status.value?.services || []).length === 0 ? `<p class="muted">Nothing running.</p>`
    : `<table><thead><tr><th>Service</th><th>Version</th><th>State</th><th>Containers</th></tr></thead><tbody>${status.value.services.map((s) =>
      `<tr><td>${esc(s.orgid)}/${esc(s.serviceUrl)}</td><td>${esc(s.version)}</td><td>${badge(s.configState)}</td><td>${(s.containerStatus || []).map((c) => `${esc(c.name)} ${badge(c.state)}`).join("<br>")}</td></tr>`).join("")}</tbody></table>`;
  html += `</div><div class="card" id="eventlog"><h2>Event log (as the node reported it)</h2>`;
  const events = errors.error ? null : (errors.value?.errors || []);
  html += errors.error ? refused(errors.error) : events.length === 0 ? `<p class="muted">No events reported.</p>`
    : `<table><thead><tr><th>Time</th><th>Event</th><th>Reason</th><th>Message</th></tr></thead><tbody>${events.slice().reverse().map((e) =>
      `<tr><td>${esc(e.time || e.timestamp)}</td><td>${esc(e.kind || e.event_code)}</td><td>${e.reason ? `<span class="bad" data-reason="${esc(e.reason)}">${esc(e.reason)} ${esc(e.reasonText || "")}</span>` : ""}</td><td>${esc(e.message)}</td></tr>`).join("")}</tbody></table>`;
  return html + `</div>`;
}

async function patternView(name) {
  const org = enc(session.org);
  const pattern = await maybe(api(`/orgs/${org}/patterns/${enc(name)}`).then((r) => r.data));
  let html = `<h1>Pattern ${esc(session.org)}/${esc(name)}</h1>`;
  if (pattern.error) return html + `<div class="card">${refused(pattern.error)}</div>`;
  const services = pattern.value.services || [];
  html += `<div class="card"><h2>Services and versions</h2><table><thead><tr><th>Service</th><th>Arch</th><th>Versions (priority)</th></tr></thead><tbody>${
    services.map((s) => `<tr><td>${esc(s.serviceOrgid)}/${esc(s.serviceUrl)}</td><td>${esc(s.serviceArch)}</td><td>${(s.serviceVersions || []).map((v) =>
      `${esc(v.version)}${v.priority?.priority_value !== undefined ? ` (${esc(v.priority.priority_value)})` : ""}`).join(", ")}</td></tr>`).join("")}</tbody></table></div>`;
  const nodes = await maybe(listAll(`/orgs/${org}/nodes?limit=10000`));
  if (nodes.error) return html + `<div class="card">${refused(nodes.error)}</div>`;
  const members = nodes.value.filter((n) => n.pattern === `${session.org}/${name}`);
  const shown = members.slice(0, STATUS_FETCH_LIMIT);
  const newest = new Map(services.map((s) => [`${s.serviceOrgid}/${s.serviceUrl}`,
    (s.serviceVersions || []).map((v) => v.version).sort(compareVersions).at(-1)]));
  const rows = await Promise.all(shown.map(async (n) => {
    const base = `/orgs/${org}/nodes/${enc(n.id)}`;
    const [status, errors] = await Promise.all([maybe(api(base + "/status").then((r) => r.data)), maybe(api(base + "/errors").then((r) => r.data))]);
    const running = (status.value?.services || []).filter((s) => newest.has(`${s.orgid}/${s.serviceUrl}`));
    const versions = running.map((s) => s.version);
    const behind = [...newest.entries()].filter(([key, version]) => !running.some((s) => `${s.orgid}/${s.serviceUrl}` === key && s.version === version));
    let why = "";
    if (behind.length > 0) why = explain(n, behind, services, errors.value?.errors || []);
    return `<tr><td><a href="#/node/${enc(n.id)}">${esc(n.id)}</a></td><td>${badge(nodeState(n))}</td><td>${esc(versions.join(", ") || "—")}</td><td>${behind.length === 0 ? '<span class="ok">newest</span>' : esc(why)}</td></tr>`;
  }));
  html += `<div class="card" id="pattern-nodes"><h2>Nodes (${members.length})</h2>${members.length > shown.length ? `<p class="muted">Showing the first ${shown.length}.</p>` : ""}
    <table><thead><tr><th>Node</th><th>State</th><th>Runs</th><th>Why not the newest version</th></tr></thead><tbody>${rows.join("")}</tbody></table></div>`;
  return html;
}

// A deploycheck-style explanation from what the exchange knows: the node's facts and what it reported.
function explain(node, behind, services, events) {
  const reasons = [];
  if (nodeState(node) !== "online") reasons.push(nodeState(node) === "new" ? "the node has never heartbeated" : "the node is offline");
  for (const [key] of behind) {
    const service = services.find((s) => `${s.serviceOrgid}/${s.serviceUrl}` === key);
    if (service && service.serviceArch && service.serviceArch !== "*" && node.arch && service.serviceArch !== node.arch) {
      reasons.push(`${key} is for ${service.serviceArch}, the node is ${node.arch}`);
    }
  }
  const failure = events.slice().reverse().find((e) => e.reason);
  if (failure) reasons.push(`last failure: ${failure.reason} ${failure.reasonText || ""} — ${failure.message}`);
  if (reasons.length === 0) reasons.push(`not running ${behind.map(([k, v]) => `${k} ${v}`).join(", ")} yet (no failure reported)`);
  return reasons.join("; ");
}

async function patternsView() {
  const patterns = await maybe(api(`/orgs/${enc(session.org)}/patterns`).then((r) => r.data || []));
  if (patterns.error) return `<h1>Patterns</h1><div class="card">${refused(patterns.error)}</div>`;
  return `<h1>Patterns</h1><div class="card"><ul>${patterns.value.map((p) => `<li><a href="#/pattern/${enc(p.name || p.label || "")}">${esc(p.name || p.label)}</a> ${esc(p.description || "")}</li>`).join("")}</ul></div>`;
}

// Enrollment: the exchange does not offer enrollment requests yet. When it does, this view lists
// them from /v1/orgs/{org}/enrollment/requests and approves or denies through the same API.
async function enrollmentView() {
  const requests = await maybe(api(`/orgs/${enc(session.org)}/enrollment/requests`).then((r) => r.data || []));
  if (requests.error) {
    return `<h1>Enrollment requests</h1><div class="card">${requests.error.status === 404 || requests.error.status === 405
      ? `<p class="muted">This exchange does not offer enrollment yet; nodes join with <code>hzn exchange node add</code> and <code>hzn register</code>.</p>`
      : refused(requests.error)}</div>`;
  }
  return `<h1>Enrollment requests</h1><div class="card"><table><thead><tr><th>Request</th><th>Facts</th><th></th></tr></thead><tbody>${requests.value.map((r) =>
    `<tr><td>${esc(r.id)}</td><td><code>${esc(JSON.stringify(r.facts || {}))}</code></td><td>
      <button data-decide="approve" data-id="${esc(r.id)}">Approve</button> <button data-decide="deny" data-id="${esc(r.id)}">Deny</button></td></tr>`).join("")}</tbody></table></div>`;
}

// ---- shell -------------------------------------------------------------------------------------

const routes = [
  [/^#\/node\/(.+)$/, (m) => nodeView(decodeURIComponent(m[1]))],
  [/^#\/pattern\/(.+)$/, (m) => patternView(decodeURIComponent(m[1]))],
  [/^#\/nodes$/, () => nodesView()],
  [/^#\/patterns$/, () => patternsView()],
  [/^#\/enrollment$/, () => enrollmentView()],
  [/^.*$/, () => fleetView()],
];

async function render() {
  if (!session.auth) return;
  const hash = location.hash || "#/";
  const [pattern, view] = routes.find(([p]) => p.test(hash));
  const started = performance.now();
  const run = view(hash.match(pattern));
  rendering = run;
  try {
    const html = await run;
    if (rendering !== run) return; // a newer render won
    document.getElementById("view").innerHTML = html;
    for (const bar of document.querySelectorAll("[data-rate]")) bar.style.width = `${Math.round(+bar.dataset.rate * 100)}%`;
    for (const a of document.querySelectorAll("#nav a")) a.classList.toggle("active", a.getAttribute("href") === hash);
    document.body.dataset.rendered = String(Math.round(performance.now() - started));
    document.getElementById("live").textContent = `live · updated ${new Date().toLocaleTimeString()}`;
  } catch (e) {
    if (e.status !== 401) document.getElementById("view").innerHTML = `<div class="card bad">${esc(e.message)}</div>`;
  }
}

async function followChanges() {
  if (!session.auth) return;
  try {
    const { data } = await api(`/orgs/${enc(session.org)}/changes`, { method: "POST", body: { changeId, maxRecords: 1000 } });
    const first = changeId === 0;
    changeId = data.mostRecentChangeId;
    if (!first && data.changes.length > 0) await render();
  } catch { /* the next poll tries again */ }
}

function signOut(message) {
  Object.assign(session, { org: "", user: "", auth: "" });
  sessionStorage.removeItem("horizon-console");
  document.getElementById("view").innerHTML = "";
  document.getElementById("nav").hidden = true;
  document.getElementById("signout").hidden = true;
  document.getElementById("who").textContent = "";
  document.getElementById("signin").hidden = false;
  document.getElementById("signin-error").textContent = message || "";
}

async function signIn(org, user, password) {
  Object.assign(session, { org, user, auth: "Basic " + btoa(unescape(encodeURIComponent(`${org}/${user}:${password}`))) });
  await enter();
}

// Checks the session's credentials against the exchange, then shows the console.
async function enter() {
  const { org, user } = session;
  await api(`/orgs/${enc(org)}/users/${enc(user)}`);
  sessionStorage.setItem("horizon-console", JSON.stringify(session));
  document.getElementById("signin").hidden = true;
  document.getElementById("nav").hidden = false;
  document.getElementById("signout").hidden = false;
  document.getElementById("who").textContent = `${org}/${user}`;
  changeId = 0;
  await followChanges();
  await render();
}

document.getElementById("signin").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  try {
    await signIn(form.get("org").trim(), form.get("user").trim(), form.get("password"));
    event.target.reset();
  } catch (e) {
    if (e.status !== 401) document.getElementById("signin-error").textContent = e.message;
    else document.getElementById("signin-error").textContent = "The exchange refused these credentials.";
  }
});
document.getElementById("signout").addEventListener("click", () => signOut());
document.getElementById("view").addEventListener("click", async (event) => {
  const button = event.target.closest("[data-decide]");
  if (!button) return;
  await maybe(api(`/orgs/${enc(session.org)}/enrollment/requests/${enc(button.dataset.id)}/${button.dataset.decide}`, { method: "POST" }));
  await render();
});
window.addEventListener("hashchange", render);
setInterval(followChanges, 3000);
setInterval(render, 30000); // nodes age into offline without any change

const saved = JSON.parse(sessionStorage.getItem("horizon-console") || "null");
if (saved?.auth) {
  Object.assign(session, saved);
  enter().catch(() => {});
} else {
  signOut();
}
