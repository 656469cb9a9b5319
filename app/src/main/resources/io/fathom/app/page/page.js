// Fathom's built-in page: polls the node's JSON API every few seconds and redraws. No libraries; text
// from the API is set with textContent, the histograms are the server's escaped SVG (SvgHistogram).
"use strict";

const REFRESH_MS = 3000;
const svgCache = new Map(); // "view/feature" -> {windowEnd, svg}
const TOKEN_KEY = "fathom.token";

// With API tokens on, the page's token comes from its address's fragment (/#token=..., never sent to the
// server) or from the form shown when the API answers 401; it stays in this tab's sessionStorage only.
(function takeTokenFromAddress() {
  const match = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (match) {
    sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(match[1]));
    history.replaceState(null, "", location.pathname + location.search);
  }
})();

function request() {
  const token = sessionStorage.getItem(TOKEN_KEY);
  return {cache: "no-store", headers: token ? {Authorization: "Bearer " + token} : {}};
}

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value !== null && value !== undefined) node.setAttribute(name, value);
  }
  for (const child of children) {
    if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

function number(x) {
  if (x === null || x === undefined || Number.isNaN(x)) return "–";
  if (x === 0) return "0";
  const abs = Math.abs(x);
  if (abs >= 1e6 || abs < 1e-4) return x.toExponential(3);
  return String(Number(x.toPrecision(4)));
}

function count(x) {
  return x === null || x === undefined ? "–" : Math.round(x).toLocaleString("en");
}

function seconds(s) {
  if (s === null || s === undefined) return "–";
  if (s < 120) return s.toFixed(1) + " s";
  if (s < 7200) return (s / 60).toFixed(1) + " min";
  return (s / 3600).toFixed(1) + " h";
}

function time(millis) {
  return millis === null || millis === undefined ? "–" : new Date(millis).toISOString().slice(11, 19) + " UTC";
}

function verdict(text) {
  return el("span", {class: "verdict " + text}, text);
}

function fill(tbody, rows, emptyText, columns) {
  tbody.replaceChildren(...(rows.length ? rows : [el("tr", {class: "empty"}, el("td", {colspan: columns}, emptyText))]));
}

async function getJson(path) {
  const response = await fetch(path, request());
  if (!response.ok) {
    const error = new Error(path + " answered " + response.status);
    error.status = response.status;
    throw error;
  }
  return response.json();
}

function renderViews(views) {
  fill(document.querySelector("#views tbody"), views.map(v => el("tr", {"data-view": v.name},
      el("td", {}, v.name), el("td", {}, v.source),
      el("td", {class: "num freshness"}, seconds(v.freshness_seconds)),
      el("td", {class: "num rate"}, number(v.events_per_second)),
      el("td", {class: "num rate"}, number(v.snapshots_per_second)),
      el("td", {class: "num"}, count(v.events_total)))), "no views", 6);
}

function renderDeadLetters(byReason, total) {
  const rows = Object.entries(byReason).map(([reason, n]) =>
      el("tr", {"data-reason": reason, class: n ? null : "zero"}, el("td", {}, reason), el("td", {class: "num"}, count(n))));
  if (rows.length) rows.push(el("tr", {class: "total"}, el("td", {}, "total"), el("td", {class: "num"}, count(total))));
  fill(document.querySelector("#dead-letters tbody"), rows, "no dead-letter counters yet", 2);
}

function subject(alert) {
  const labels = alert.labels, group = alert.annotations.least_favoured_group;
  return labels.kind === "bias"
      ? `${labels.model} / ${labels.attribute} / ${labels.metric}` + (group ? ` (${group})` : "")
      : `${labels.view} / ${labels.feature} (${labels.method})`;
}

function renderAlerts(alerts) {
  fill(document.querySelector("#alerts tbody"), alerts.map(a => el("tr", {"data-alert": a.fingerprint},
      el("td", {}, verdict(a.status), " ", a.labels.alertname), el("td", {}, subject(a)),
      el("td", {class: "num"}, number(a.value)), el("td", {class: "num"}, number(a.threshold)),
      el("td", {}, time(a.starts_at)), el("td", {}, a.annotations.summary || ""))), "no alert firing", 6);
}

/** The report's histogram as the server draws it; fetched again only when a newer window closed. */
async function histogramSvg(report) {
  const key = report.view + "/" + report.feature;
  const cached = svgCache.get(key);
  if (cached && cached.windowEnd === report.window_end) return cached.svg;
  const path = "/page/histogram/" + encodeURIComponent(report.view) + "/" + encodeURIComponent(report.feature);
  const response = await fetch(path, request());
  const svg = response.ok ? await response.text() : null;
  svgCache.set(key, {windowEnd: report.window_end, svg});
  return svg;
}

function sum(counts) {
  return counts.reduce((a, b) => a + b, 0);
}

async function renderDrift(reports) {
  const svgs = await Promise.all(reports.map(r => r.histogram ? histogramSvg(r) : null));
  const cards = reports.map((r, i) => {
    const figure = el("figure", {});
    if (svgs[i]) {
      figure.innerHTML = svgs[i]; // the server's SVG: every text in it is escaped
      figure.append(el("figcaption", {}, el("span", {class: "swatch reference"}),
          `reference (n = ${count(sum(r.histogram.reference_counts))})`, el("span", {class: "swatch current"}),
          `current (n = ${count(sum(r.histogram.current_counts))})`));
    }
    return el("article", {class: "card " + r.verdict, "data-feature": r.view + "/" + r.feature},
        el("h3", {}, `${r.view} / ${r.feature}`, verdict(r.verdict)),
        el("p", {class: "meta"}, `${r.method} ${number(r.score)} (drift when ${r.method === "chi2" ? "<" : ">"} `
            + `${number(r.threshold)}) · window ${time(r.window_start)} – ${time(r.window_end)} · `
            + `n ${count(r.n)}, nulls ${count(r.nulls)}`),
        figure);
  });
  const container = document.querySelector("#drift .cards");
  container.replaceChildren(...(cards.length ? cards
      : [el("p", {class: "note"}, "No drift report yet: the monitor reports when a window closes, once a baseline is published.")]));
}

function renderBias(reports) {
  const cards = reports.map(r => {
    const worst = [r.disparate_impact_verdict, r.parity_difference_verdict].includes("DRIFT") ? "DRIFT"
        : [r.disparate_impact_verdict, r.parity_difference_verdict].includes("OK") ? "OK" : "INSUFFICIENT";
    const metric = (name, value) => el("span", {}, name + " ", el("b", {}, number(value)));
    const groups = r.groups.map(g => el("tr", {"data-group": g.group, class: g.sufficient ? null : "zero"},
        el("td", {}, g.group), el("td", {class: "num"}, count(g.n)), el("td", {class: "num"}, count(g.predicted_positive)),
        el("td", {class: "num selection-rate"}, number(g.selection_rate)), el("td", {class: "num"}, number(g.disparate_impact)),
        el("td", {class: "num"}, number(g.tpr)), el("td", {class: "num"}, number(g.fpr))));
    return el("article", {class: "card " + worst, "data-bias": r.model + "/" + r.attribute},
        el("h3", {}, `${r.model} / ${r.attribute}`, el("span", {class: "meta"}, "disparate impact"),
            verdict(r.disparate_impact_verdict), el("span", {class: "meta"}, "parity"), verdict(r.parity_difference_verdict)),
        el("p", {class: "meta"}, `window ${time(r.window_start)} – ${time(r.window_end)}`),
        el("div", {class: "bias-metrics"},
            metric("disparate impact ratio", r.disparate_impact_ratio),
            metric("parity difference", r.demographic_parity_difference),
            metric("parity ratio", r.demographic_parity_ratio),
            metric("equal opportunity difference", r.equal_opportunity_difference),
            metric("equalized odds difference", r.equalized_odds_difference)),
        el("table", {},
            el("thead", {}, el("tr", {}, ...["group", "n", "predicted +", "selection rate", "disparate impact", "TPR", "FPR"]
                .map((h, i) => el("th", {class: i ? "num" : null}, h)))),
            el("tbody", {}, ...groups)));
  });
  document.querySelector("#bias .cards").replaceChildren(...(cards.length ? cards
      : [el("p", {class: "note"}, "No bias report yet.")]));
}

async function refresh() {
  const updated = document.getElementById("updated");
  try {
    const [status, drift, alerts] = await Promise.all([getJson("/v1/status"), getJson("/v1/drift"), getJson("/v1/alerts")]);
    renderViews(status.views);
    renderDeadLetters(status.dead_letters, status.dead_letters_total);
    renderAlerts(alerts.alerts);
    await renderDrift(drift.drift);
    renderBias(drift.bias);
    updated.className = "meta";
    updated.textContent = "updated " + new Date().toLocaleTimeString("en-GB") + ", every " + REFRESH_MS / 1000 + " s";
    document.getElementById("token-form").hidden = true;
  } catch (e) {
    updated.className = "meta error";
    updated.textContent = "cannot refresh: " + e.message;
    if (e.status === 401 || e.status === 403) document.getElementById("token-form").hidden = false;
  }
  setTimeout(refresh, REFRESH_MS);
}

document.getElementById("token-form").addEventListener("submit", event => {
  event.preventDefault();
  const input = document.getElementById("token");
  sessionStorage.setItem(TOKEN_KEY, input.value.trim());
  input.value = "";
  svgCache.clear();
});

refresh();
