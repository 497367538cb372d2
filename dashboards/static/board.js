// The leaderboard: follows a competition's websocket channel and redraws the standings.
// Reconnects by itself with ?after=SEQ so that nothing is missed, and shows whether it is live.

const STRINGS = {
  en: { title: "Leaderboard", rank: "#", team: "Team", composite: "Score", conversion: "Conversion",
        satisfaction: "Satisfaction", receivables: "Receivables", profit: "Profit", round: "Round",
        betweenRounds: "between rounds", paused: "paused", finished: "final", draft: "not started",
        live: "live", connecting: "connecting…", down: "reconnecting…", judgeCode: "Judge code",
        signIn: "Sign in", bigOrder: "{team} won an order of {value}", inTime: "{team} resolved a complaint within the SLA",
        writtenOff: "{team} wrote off {amount}", round_started: "Round {round} started", round_ended: "Round {round} ended",
        announcement: "📣 {text}", lang: "中文" },
  zh: { title: "排行榜", rank: "名次", team: "团队", composite: "总分", conversion: "转化率",
        satisfaction: "满意度", receivables: "回款率", profit: "利润", round: "第", roundSuffix: "轮",
        betweenRounds: "轮间休息", paused: "已暂停", finished: "最终结果", draft: "未开始",
        live: "实时", connecting: "连接中…", down: "重新连接中…", judgeCode: "评委码",
        signIn: "登录", bigOrder: "{team} 赢得 {value} 的订单", inTime: "{team} 在时限内解决了投诉",
        writtenOff: "{team} 核销坏账 {amount}", round_started: "第 {round} 轮开始", round_ended: "第 {round} 轮结束",
        announcement: "📣 {text}", lang: "English" },
};

let lang = (localStorage.getItem("salesfloor.lang") || navigator.language || "en").startsWith("zh") ? "zh" : "en";
const competition = Number(location.pathname.split("/").filter(Boolean).pop());
const view = new URLSearchParams(location.search).get("view") === "judge" ? "judge" : "public";
let lastSeq = null, epoch = null, status = null, standings = [], previousRanks = new Map(), retry = 500;

const t = (key, vars = {}) => (STRINGS[lang][key] ?? STRINGS.en[key] ?? key).replace(/\{(\w+)\}/g, (_, k) => vars[k] ?? "");
const locale = () => (lang === "zh" ? "zh-CN" : "en");
const pct = (x) => (x == null ? "—" : new Intl.NumberFormat(locale(), { maximumFractionDigits: 1, minimumFractionDigits: 1 }).format(x));
const money = (x) => (x == null ? "—" : new Intl.NumberFormat(locale(), { maximumFractionDigits: 0 }).format(x));

function translate() {
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
  document.querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = t(el.dataset.i18n); });
  document.getElementById("lang").textContent = t("lang");
  drawStatus();
  drawBoard();
}

function drawStatus() {
  if (!status) return;
  const round = lang === "zh" ? `${t("round")} ${status.round} ${t("roundSuffix")}` : `${t("round")} ${status.round} / ${status.rounds}`;
  const state = status.state === "running" ? "" : ` · ${t(status.between_rounds ? "betweenRounds" : status.state)}`;
  document.getElementById("round").textContent = round + state;
  document.getElementById("title").textContent = status.name || t("title");
}

function drawClock() {
  const el = document.getElementById("clock");
  if (!status || status.state !== "running" || status.seconds_left_in_round == null) { el.textContent = ""; return; }
  const left = Math.max(0, status.seconds_left_in_round - (Date.now() - status.receivedAt) / 1000);
  el.textContent = `${Math.floor(left / 60)}:${String(Math.floor(left % 60)).padStart(2, "0")}`;
}

function drawBoard() {
  const body = document.querySelector("#board tbody");
  body.replaceChildren(...standings.map((row) => {
    const tr = document.createElement("tr");
    const before = previousRanks.get(row.team);
    if (before != null && before !== row.rank) tr.className = row.rank < before ? "up" : "down";
    for (const cell of [row.rank, row.team, pct(row.composite), pct(row.conversion), pct(row.satisfaction), pct(row.receivables), money(row.profit)]) {
      const td = document.createElement("td");
      td.textContent = cell;
      tr.append(td);
    }
    return tr;
  }));
}

function ticker(data) {
  const keys = { big_order: "bigOrder", complaint_resolved_in_time: "inTime", written_off: "writtenOff" };
  const key = keys[data.kind] ?? data.kind;
  const li = document.createElement("li");
  li.textContent = t(key, { ...data, value: money(data.value), amount: money(data.amount) });
  const list = document.getElementById("ticker");
  list.prepend(li);
  while (list.children.length > 8) list.lastChild.remove();
}

function handle(message) {
  lastSeq = message.seq;
  const { type, data } = message;
  if (type === "hello" || type === "resync") {
    epoch = data.epoch;
    status = { ...data.status, receivedAt: Date.now() };
    standings = data.standings;
    previousRanks = new Map(standings.map((r) => [r.team, r.rank]));
    drawStatus(); drawBoard();
  } else if (type === "standings") {
    previousRanks = new Map(standings.map((r) => [r.team, r.rank]));
    standings = data;
    drawBoard();
  } else if (type === "state") {
    status = { ...data, receivedAt: Date.now() };
    drawStatus();
  } else if (type === "ticker") {
    ticker(data);
  }
}

function setLink(state) {
  const el = document.getElementById("link");
  el.dataset.state = state;
  el.textContent = t(state);
}

function connect() {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const query = lastSeq == null ? "" : `?after=${lastSeq}&epoch=${epoch}`;
  const ws = new WebSocket(`${scheme}://${location.host}/ws/${view}/${competition}${query}`);
  setLink("connecting");
  ws.onopen = () => { setLink("live"); retry = 500; };
  ws.onmessage = (event) => handle(JSON.parse(event.data));
  ws.onclose = (event) => {
    if (event.code === 1008 && view === "judge") { document.getElementById("judge-login").hidden = false; setLink("down"); return; }
    setLink("down");
    setTimeout(connect, retry);
    retry = Math.min(retry * 2, 8000);
  };
}

document.getElementById("lang").addEventListener("click", () => {
  lang = lang === "zh" ? "en" : "zh";
  localStorage.setItem("salesfloor.lang", lang);
  translate();
});

document.getElementById("judge-login").addEventListener("submit", async (event) => {
  event.preventDefault();
  const code = document.getElementById("judge-code").value;
  const response = await fetch("/api/v1/session/judge", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ code }) });
  if (!response.ok) { document.getElementById("judge-error").textContent = (await response.json()).detail; return; }
  document.getElementById("judge-login").hidden = true;
  connect();
});

translate();
connect();
setInterval(drawClock, 500);
