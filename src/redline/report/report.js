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
  // A claim's findings share one note: every entry it shows maps to it.
  document.querySelectorAll(".note").forEach(function (note) {
    note.dataset.entries.split(" ").forEach(function (e) { notesByEntry.set(Number(e), note); });
  });
  const barsByRange = new Map();

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
    barsByRange.forEach(function (bar) { bar.hidden = !on.has(bar.dataset.fam); });
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
    const bar = barsByRange.get(entry.range);
    if (bar) bar.classList.add("active");
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
    layout();  // the active note shows its details: make room
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

  // Bars in the gutter for paragraph-level findings: from the first line of the range to its last.
  function drawBars() {
    document.querySelectorAll("section.file").forEach(function (section) {
      const gutter = section.querySelector(".gutter");
      if (!gutter) return;
      const origin = gutter.getBoundingClientRect().top;
      const lanes = [];
      data.ranges.forEach(function (range, k) {
        if (!range.bar || String(range.file) !== section.dataset.file) return;
        const marks = marksByRange.get(k) || [];
        if (!marks.length) return;
        let bar = barsByRange.get(k);
        if (!bar) {
          bar = document.createElement("div");
          const entry = data.entries[range.entries[0]];
          bar.className = "bar fam-" + entry.family;
          bar.dataset.range = String(k);
          bar.dataset.fam = entry.family;
          bar.dataset.entry = String(range.entries[0]);
          bar.title = range.entries.map(function (e) {
            const note = notesByEntry.get(e);
            return note ? note.querySelector(".message").textContent : "";
          }).join("\n");
          gutter.appendChild(bar);
          barsByRange.set(k, bar);
        }
        const first = marks[0].getClientRects()[0] || marks[0].getBoundingClientRect();
        const lastRects = marks[marks.length - 1].getClientRects();
        const last = lastRects[lastRects.length - 1] || marks[marks.length - 1].getBoundingClientRect();
        const top = first.top - origin, bottom = last.bottom - origin;
        let lane = 0;
        while (lanes[lane] !== undefined && lanes[lane] > top) lane++;
        lanes[lane] = bottom;
        bar.style.top = top + "px";
        bar.style.height = Math.max(bottom - top, 6) + "px";
        bar.style.left = (lane * 7) + "px";
      });
    });
  }

  // Margin notes beside their lines: each note wants to sit at its anchor (the first line of
  // its highlight or bar); overlapping notes are pooled into blocks centred on their anchors
  // (least squares under the order constraint), so a crowded line pushes notes up as well
  // as down instead of stacking them all below.
  function layout() {
    drawBars();
    const GAP = 6;
    document.querySelectorAll("section.file:not([hidden]) .notes").forEach(function (column) {
      const origin = column.getBoundingClientRect().top;
      const items = [];
      column.querySelectorAll(".margin-group").forEach(function (group) {
        const visible = [...group.querySelectorAll(".note")].filter(function (n) { return !n.hidden; });
        group.hidden = !visible.length;
        if (!visible.length || getComputedStyle(group).position !== "absolute") return;
        let anchor = Infinity;
        visible.forEach(function (note) {
          const range = Number(note.dataset.range);
          const bar = barsByRange.get(range);
          const marks = marksByRange.get(range) || [];
          if (bar && !bar.hidden) anchor = Math.min(anchor, bar.getBoundingClientRect().top - origin);
          else if (marks.length) anchor = Math.min(anchor, marks[0].getBoundingClientRect().top - origin);
        });
        if (anchor === Infinity) anchor = 0;
        items.push({ note: group, anchor: Math.max(0, anchor - 4), height: group.offsetHeight + GAP });
      });
      items.sort(function (a, b) { return a.anchor - b.anchor; });
      const blocks = [];
      items.forEach(function (item) {
        blocks.push({ items: [item], top: item.anchor, height: item.height });
        while (blocks.length > 1) {
          const prev = blocks[blocks.length - 2], cur = blocks[blocks.length - 1];
          if (prev.top + prev.height <= cur.top) break;
          const merged = { items: prev.items.concat(cur.items), height: prev.height + cur.height, top: 0 };
          let offset = 0, sum = 0;
          merged.items.forEach(function (x) { sum += x.anchor - offset; offset += x.height; });
          merged.top = Math.max(0, sum / merged.items.length);
          blocks.splice(blocks.length - 2, 2, merged);
        }
      });
      let bottom = 0;
      blocks.forEach(function (block) {
        let top = block.top;
        block.items.forEach(function (item) {
          item.note.style.top = top + "px";
          item.note.dataset.anchor = String(Math.round(item.anchor));
          top += item.height;
        });
        bottom = Math.max(bottom, top);
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
    const bar = target.closest(".bar");
    if (bar) {
      const entryId = Number(bar.dataset.entry);
      activate(entryId);
      current = { entry: entryId, step: 0 };
      const barNote = notesByEntry.get(entryId);
      if (barNote) barNote.scrollIntoView({ block: "nearest", behavior: "smooth" });
      return;
    }
    const note = target.closest(".note");
    if (note) {
      const entryId = Number(note.dataset.entry);
      activate(entryId);
      current = { entry: entryId, step: 0 };
      const marks = marksByRange.get(Number(note.dataset.range)) || [];
      if (marks.length && !barsByRange.has(Number(note.dataset.range))) {
        marks[0].scrollIntoView({ block: "nearest", behavior: "smooth" });
      }
      return;
    }
    const tab = target.closest(".file-tab");
    if (tab) { showFile(Number(tab.dataset.file)); return; }
    if (!target.closest(".top")) { clearActive(); current = { entry: -1, step: 0 }; layout(); }
  });

  document.addEventListener("mouseover", function (event) {
    const target = event.target instanceof Element ? event.target : null;
    document.querySelectorAll(".note.hover, mark.hover, .bar.hover").forEach(function (el) { el.classList.remove("hover"); });
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
      const range = Number(note.dataset.range);
      if (barsByRange.has(range)) barsByRange.get(range).classList.add("hover");
      else (marksByRange.get(range) || []).forEach(function (m) { m.classList.add("hover"); });
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
