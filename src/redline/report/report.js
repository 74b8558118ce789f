"use strict";
(function () {
  const data = JSON.parse(document.getElementById("redline-data").textContent);
  const marksByRange = new Map();
  const notesByEntry = new Map();
  let current = { entry: -1, step: 0 };

  document.querySelectorAll("mark.hl").forEach(function (mark) {
    rangesOf(mark).forEach(function (k) {
      if (!marksByRange.has(k)) marksByRange.set(k, []);
      marksByRange.get(k).push(mark);
    });
  });
  document.querySelectorAll(".note").forEach(function (note) {
    notesByEntry.set(Number(note.dataset.entry), note);
  });

  function rangesOf(mark) {
    return mark.dataset.ranges.split(" ").map(Number);
  }

  function enabledFamilies() {
    const on = new Set();
    document.querySelectorAll(".filters input[data-family]").forEach(function (box) {
      if (box.checked) on.add(box.dataset.family);
    });
    return on;
  }

  function applyFilters() {
    const on = enabledFamilies();
    document.querySelectorAll("mark.hl").forEach(function (mark) {
      const families = mark.dataset.fam ? mark.dataset.fam.split(" ") : [];
      mark.dataset.show = families.filter(function (f) { return on.has(f); }).join(" ");
      const referring = mark.dataset.rel ? mark.dataset.rel.split(" ") : [];
      mark.dataset.relshow = referring.filter(function (f) { return on.has(f); }).join(" ");
    });
    notesByEntry.forEach(function (note) { note.hidden = !on.has(note.dataset.fam); });
    document.querySelectorAll(".rule-counts tr").forEach(function (row) {
      row.classList.toggle("off", !on.has(row.dataset.fam));
    });
    layout();
  }

  function visibleEntries(mark) {
    const on = enabledFamilies();
    const ranges = rangesOf(mark).sort(function (a, b) {
      const ra = data.ranges[a], rb = data.ranges[b];
      return (ra.end - ra.start) - (rb.end - rb.start);
    });
    const found = [];
    ["entries", "referencedBy"].forEach(function (key) {  // a place a finding points at leads to it
      ranges.forEach(function (k) {
        data.ranges[k][key].forEach(function (e) {
          if (on.has(data.entries[e].family) && found.indexOf(e) < 0) found.push(e);
        });
      });
    });
    return found;
  }

  function linkedRanges(entryId) {
    const entry = data.entries[entryId];
    const cluster = data.ranges[entry.range].cluster;
    const linked = [];
    data.ranges.forEach(function (r, k) {
      if (k !== entry.range && (cluster >= 0 ? r.cluster === cluster : entry.related.indexOf(k) >= 0)) {
        linked.push(k);
      }
    });
    return linked.sort(function (a, b) {
      const ra = data.ranges[a], rb = data.ranges[b];
      return ra.file - rb.file || ra.start - rb.start;
    });
  }

  function clearActive() {
    document.querySelectorAll(".active, .linked").forEach(function (el) {
      el.classList.remove("active", "linked");
    });
  }

  function activate(entryId) {
    clearActive();
    const entry = data.entries[entryId];
    (marksByRange.get(entry.range) || []).forEach(function (m) { m.classList.add("active"); });
    const note = notesByEntry.get(entryId);
    if (note) note.classList.add("active");
    const linked = linkedRanges(entryId);
    linked.forEach(function (k) {
      (marksByRange.get(k) || []).forEach(function (m) { m.classList.add("linked"); });
      data.ranges[k].entries.forEach(function (e) {
        const other = notesByEntry.get(e);
        if (other) other.classList.add("linked");
      });
    });
    document.body.dataset.active = String(entryId);
    return linked;
  }

  function reveal(rangeId) {
    const file = data.ranges[rangeId].file;
    showFile(file);
    const marks = marksByRange.get(rangeId) || [];
    if (marks.length) marks[0].scrollIntoView({ block: "center", behavior: "smooth" });
  }

  function onMarkClick(mark) {
    const entries = visibleEntries(mark);
    if (!entries.length) return;
    const entryId = entries[0];
    const linked = activate(entryId);
    current = current.entry === entryId ? { entry: entryId, step: current.step + 1 } : { entry: entryId, step: 0 };
    if (linked.length) reveal(linked[current.step % linked.length]);
  }

  function showFile(index) {
    const sections = document.querySelectorAll("section.file");
    if (sections.length < 2) return;
    sections.forEach(function (s) { s.hidden = Number(s.dataset.file) !== index; });
    document.querySelectorAll(".file-tab").forEach(function (tab) {
      tab.classList.toggle("current", Number(tab.dataset.file) === index);
    });
    layout();
  }

  function layout() {
    document.querySelectorAll("section.file:not([hidden]) .notes").forEach(function (column) {
      const origin = column.getBoundingClientRect().top;
      let bottom = 0;
      column.querySelectorAll(".note:not([hidden])").forEach(function (note) {
        if (getComputedStyle(note).position !== "absolute") return;
        const marks = marksByRange.get(Number(note.dataset.range)) || [];
        const anchor = marks.length ? marks[0].getBoundingClientRect().top - origin : bottom;
        const top = Math.max(anchor - 6, bottom);
        note.style.top = top + "px";
        bottom = top + note.offsetHeight + 8;
      });
      column.style.minHeight = bottom + "px";
    });
  }

  document.addEventListener("click", function (event) {
    const target = event.target instanceof Element ? event.target : null;
    if (!target) return;
    const goto = target.closest(".goto");
    if (goto) {
      const note = goto.closest(".note");
      if (note) activate(Number(note.dataset.entry));
      reveal(Number(goto.dataset.range));
      return;
    }
    const mark = target.closest("mark.hl");
    if (mark) { onMarkClick(mark); return; }
    const note = target.closest(".note");
    if (note) {
      const entryId = Number(note.dataset.entry);
      activate(entryId);
      current = { entry: entryId, step: 0 };
      const marks = marksByRange.get(Number(note.dataset.range)) || [];
      if (marks.length) marks[0].scrollIntoView({ block: "nearest", behavior: "smooth" });
      return;
    }
    const tab = target.closest(".file-tab");
    if (tab) { showFile(Number(tab.dataset.file)); return; }
    if (!target.closest(".top")) { clearActive(); current = { entry: -1, step: 0 }; }
  });

  document.addEventListener("mouseover", function (event) {
    const target = event.target instanceof Element ? event.target : null;
    document.querySelectorAll(".note.hover, mark.hover").forEach(function (el) { el.classList.remove("hover"); });
    if (!target) return;
    const mark = target.closest("mark.hl");
    if (mark) {
      visibleEntries(mark).forEach(function (e) {
        const note = notesByEntry.get(e);
        if (note) note.classList.add("hover");
      });
      return;
    }
    const note = target.closest(".note");
    if (note) {
      (marksByRange.get(Number(note.dataset.range)) || []).forEach(function (m) { m.classList.add("hover"); });
    }
  });

  document.addEventListener("keydown", function (event) {
    const note = event.target instanceof Element ? event.target.closest(".note") : null;
    if (note && (event.key === "Enter" || event.key === " ") && event.target === note) {
      event.preventDefault();
      note.click();
    }
  });

  document.querySelectorAll(".filters input[data-family]").forEach(function (box) {
    box.addEventListener("change", applyFilters);
  });
  window.addEventListener("resize", layout);
  if (document.fonts && document.fonts.ready) document.fonts.ready.then(layout);
  showFile(0);
  applyFilters();
  document.body.dataset.ready = "true";
})();
