/* The eligibility questionnaire without page reloads (progressive enhancement of /eligibility).
 *
 * The page works without this file: the form posts and the server asks the next question. With it,
 * each answer (or "I don't know") is added to the form's hidden fields, the profile they describe is
 * sent to POST /api/eligibility/next-question and POST /api/eligibility (the counts so far), and the
 * next question is drawn in place. "See results now", or the last answer, submits the form: the
 * result is always the server's page. Texts come from the page (#ipkg-eligibility): the graph's labels
 * and the page's own small ja/en table. Nothing is fetched from anywhere but this server.
 */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("ipkg-eligibility").textContent);
  var ui = data.ui, lang = data.lang;

  var printButton = document.getElementById("print");
  if (printButton) {
    printButton.hidden = false;
    printButton.addEventListener("click", function () { window.print(); });
  }
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("#report details").forEach(function (d) { d.open = true; });
  });

  var country = document.getElementById("f-country");  // the full form: currencies follow the country
  if (country) {
    country.addEventListener("change", function () {
      var currency = data.currencyByCountry[country.value];
      if (currency) document.querySelectorAll('#full-form select[name$="Currency"]').forEach(function (s) { s.value = currency; });
    });
  }

  var form = document.getElementById("ask-form");
  if (!form || !window.fetch) return;
  var carried = document.getElementById("carried");
  var slot = document.getElementById("question-slot");
  var added = [];

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else if (attrs[k] !== null && attrs[k] !== undefined && attrs[k] !== false) node.setAttribute(k, attrs[k] === true ? "" : attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return node;
  }
  function text(labels) { return (labels && (labels[lang] || labels.en || labels.ja)) || ""; }
  function carry(name, value, kind) {
    var input = el("input", {type: "hidden", name: name, value: value, "data-kind": kind});
    carried.appendChild(input);
    added.push(input);
  }
  function carriedValue(name) {
    var input = carried.querySelector('input[name="' + name + '"]');
    return input ? input.value : "";
  }

  /* The JSON profile the hidden fields describe (the inverse of the server's form_pairs). */
  function profile() {
    var body = {applicant: {}, filing: {}, unknown: []};
    var rates = {};  // exchange rates seen so far, by field: the i-th rate takes the i-th of its parts
    carried.querySelectorAll("input").forEach(function (input) {
      var kind = input.dataset.kind, name = input.name, v = input.value, value;
      if (kind === "unknown") { body.unknown.push(v); return; }
      if (kind === "currency" || kind === "rate-part") return;
      if (kind === "exchange-rate") {
        var i = rates[name] = (rates[name] === undefined ? 0 : rates[name] + 1), part = function (suffix) {
          var all = carried.querySelectorAll('input[name="' + name + suffix + '"]');
          return all[i] ? all[i].value : "";
        };
        var section = body[data.sections[name] || "applicant"];
        (section[name] = section[name] || []).push({rate: Number(v), rateFrom: part("From"), rateTo: part("To"), rateDate: part("Date")});
        return;
      }
      if (kind === "asOf" || kind === "jurisdiction") { body[name] = v; return; }
      if (kind === "money") value = {value: Number(v), currency: carriedValue(name + "Currency")};
      else if (kind === "count") value = parseInt(v, 10);
      else if (kind === "number") value = Number(v);
      else if (kind === "share") value = Math.round(Number(v) * 1e6) / 1e8;  // entered as a percentage
      else if (kind === "boolean") value = v === "true";
      else value = v;
      body[data.sections[name] || "applicant"][name] = value;
    });
    if (!body.unknown.length) delete body.unknown;
    if (!Object.keys(body.filing).length) delete body.filing;
    return body;
  }

  function post(url, body) {
    return fetch(url, {method: "POST", headers: {"Content-Type": "application/json", "Accept": "application/json"},
                       body: JSON.stringify(body)})
      .then(function (r) { return r.json().then(function (j) { if (!r.ok) throw j; return j; }); });
  }

  function problem(message) {
    var box = document.getElementById("js-problem");
    if (!box) {
      box = el("p", {id: "js-problem", role: "alert", "class": "problem"});
      slot.insertBefore(box, slot.firstChild);
    }
    box.textContent = message;
  }
  function clearProblem() { var box = document.getElementById("js-problem"); if (box) box.remove(); }

  function remember(field, shown) {
    var list = document.getElementById("answers"), none = document.getElementById("none-yet");
    if (none) none.remove();
    list.appendChild(el("dt", {text: data.labels[field] || field}));
    list.appendChild(el("dd", {text: shown}));
  }

  /* The answer to the question on screen: [form value, text shown], or null when none is given. */
  function read(q) {
    var field = q.dataset.field, type = q.dataset.type;
    var checked = q.querySelector('input[name="' + field + '"]:checked');
    if (checked) return [checked.value, checked.parentNode.textContent.trim()];
    var input = q.querySelector('[name="' + field + '"]');
    if (!input || !input.value.trim()) return null;
    if (type === "exchange-rate") {  // the rate, its two currencies and its date, all stated
      var parts = ["From", "To", "Date"].map(function (s) { var p = q.querySelector('[name="' + field + s + '"]'); return p ? p.value : ""; });
      if (parts.indexOf("") >= 0 || isNaN(Number(input.value))) return null;
      return [input.value.trim(), "1 " + parts[0] + " = " + input.value.trim() + " " + parts[1] + " (" + parts[2] + ")"];
    }
    var value = input.value.trim().replace(/,/g, "");
    if (input.tagName === "SELECT") return [value, input.options[input.selectedIndex].textContent];
    if ((type === "money" || input.type === "number") && (isNaN(Number(value)) || !input.checkValidity())) return undefined;
    var unit = q.querySelector(".unit");
    if (type === "money") return [value, Number(value).toLocaleString() + " " + q.querySelector('[name="' + field + 'Currency"]').value];
    return [value, value + (unit && unit.textContent ? " " + unit.textContent : "")];
  }

  function render(q) {
    var field = q.field, id = "q-" + field, kinds = {share: ui.percent, money: ""};
    var help = text(q.help);
    if (q.type !== "share" && q.minimum !== undefined) {
      help += " (" + (q.maximum !== undefined ? ui.range.replace("{min}", q.minimum).replace("{max}", q.maximum)
                                                : ui.at_least.replace("{min}", q.minimum)) + ")";
    }
    var input;
    if (q.choices) {
      var choices = q.choices.map(function (c) { return {value: c.value, label: text(c.label) || c.value}; });
      choices.sort(function (a, b) {
        var x = q.type === "place" && lang === "ja" ? a.value : a.label.toLowerCase();
        var y = q.type === "place" && lang === "ja" ? b.value : b.label.toLowerCase();
        return x < y ? -1 : x > y ? 1 : 0;
      });
      if (choices.length <= data.maxRadios) {
        input = el("div", {"class": "choices", role: "radiogroup", "aria-labelledby": id + "-label"}, choices.map(function (c) {
          return el("label", {}, [el("input", {type: "radio", name: field, value: c.value}), " ", el("span", {text: c.label})]);
        }));
      } else {
        input = el("select", {id: id, name: field}, [el("option", {value: "", text: ui.choose})].concat(choices.map(function (c) {
          return el("option", {value: c.value, text: c.label});
        })));
      }
    } else if (q.type === "boolean") {
      input = el("div", {"class": "choices", role: "radiogroup", "aria-labelledby": id + "-label"}, [["true", ui.yes], ["false", ui.no]].map(function (c) {
        return el("label", {}, [el("input", {type: "radio", name: field, value: c[0]}), " ", el("span", {text: c[1]})]);
      }));
    } else if (q.type === "date") {
      input = el("input", {id: id, name: field, type: "date"});
    } else if (q.type === "exchange-rate") {
      var pair = (q.pairs && q.pairs[0]) || {}, pick = function (suffix, chosen, label) {
        return el("select", {name: field + suffix, "aria-label": label}, [el("option", {value: "", text: "–"})].concat(
          data.rateCurrencies.map(function (c) { return el("option", {value: c, text: c, selected: c === chosen}); })));
      };
      input = el("span", {"class": "rate-row"}, ["1 ", pick("From", pair.rateFrom, ui.rate_from), " = ",
        el("input", {id: id, name: field, inputmode: "decimal", autocomplete: "off", "aria-label": ui.rate}), " ",
        pick("To", pair.rateTo, ui.rate_to), " ",
        el("label", {"class": "rate-date"}, [ui.rate_date + " ", el("input", {type: "date", name: field + "Date"})])]);
    } else if (q.type === "money") {
      var currency = data.currencyByCountry[carriedValue("country")];
      input = el("span", {}, [el("input", {id: id, name: field, inputmode: "decimal", autocomplete: "off"}), " ",
        currency ? el("strong", {text: currency}) : el("select", {name: field + "Currency", "aria-label": ui.currency},
          data.currencies.map(function (c) { return el("option", {value: c, text: c + " · " + data.currencyLabels[c]}); })),
        currency ? el("input", {type: "hidden", name: field + "Currency", value: currency}) : null]);
    } else {
      var unit = q.type === "share" ? ui.percent : data.years.indexOf(field) >= 0 ? ui.years : kinds[q.type] || "";
      input = el("span", {}, [el("input", {id: id, name: field, type: "number", step: q.type === "count" ? "1" : "any",
        min: q.type === "share" ? "0" : null, max: q.type === "share" ? "100" : null}), " ", el("span", {"class": "unit", text: unit})]);
    }
    var fieldset = el("fieldset", {id: "question", "data-field": field, "data-type": q.type}, [
      el("legend", {id: id + "-label", text: text(q.label), tabindex: "-1"}),
      el("input", {type: "hidden", name: "field", value: field}),
      el("p", {"class": "help", text: help}),
      input,
      el("p", {"class": "muted settles", text: ui.settles.replace("{n}", q.settles)})
    ]);
    slot.replaceChildren(fieldset);
    fieldset.querySelector("legend").focus();
  }

  function counts(summary) {
    [["eligible", summary.eligible], ["undetermined", summary.undetermined], ["not-eligible", summary.notEligible]].forEach(function (c) {
      var n = document.querySelector('[data-live="' + c[0] + '"]');
      if (n) n.textContent = c[1];
    });
  }

  function results() {
    form.appendChild(el("input", {type: "hidden", name: "action", value: "results"}));
    form.submit();
  }

  function busy(on) {
    form.querySelectorAll("button").forEach(function (b) { b.disabled = on; });
    form.setAttribute("aria-busy", on ? "true" : "false");
  }

  form.addEventListener("submit", function (event) {
    var action = event.submitter ? event.submitter.value : "answer";
    var q = slot.querySelector("#question");
    if (action === "results" || !q) return;  // the server draws the result
    event.preventDefault();
    clearProblem();
    var field = q.dataset.field, type = q.dataset.type, shown;
    added = [];
    if (action === "unknown") {
      carry("unknown", field, "unknown");
      shown = ui.unknown;
    } else {
      var answer = read(q);
      if (!answer) { problem(ui.please_answer); return; }
      carry(field, answer[0], type);
      var currency = q.querySelector('[name="' + field + 'Currency"]');
      if (currency) carry(field + "Currency", currency.value, "currency");
      if (type === "exchange-rate") ["From", "To", "Date"].forEach(function (s) {
        carry(field + s, q.querySelector('[name="' + field + s + '"]').value, "rate-part");
      });
      shown = answer[1];
      var full = document.getElementById("f-" + field);
      if (full) full.value = answer[0];
    }
    busy(true);
    var body = profile();
    Promise.all([post("/api/eligibility/next-question", body), post("/api/eligibility", Object.assign({explain: false}, body))])
      .then(function (answers) {
        remember(field, shown);
        counts(answers[1].summary);
        if (answers[0].question) render(answers[0].question);
        else results();
      })
      .catch(function (err) {
        added.forEach(function (input) { input.remove(); });
        problem(err && err.problems ? err.problems.join("; ") : String(err));
      })
      .then(function () { busy(false); });
  });
})();
