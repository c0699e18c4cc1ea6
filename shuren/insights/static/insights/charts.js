/* The overview's charts (Apache ECharts, vendored): each reads its numbers from the JSON the
 * page holds beside its table (json_script), draws them, and tucks the table out of sight but
 * not out of reach (screen readers read it; a button shows it again). No inline script: the
 * page's Content-Security-Policy allows none. Without ECharts the tables simply stay. */
(function () {
  "use strict";

  var PALETTE = ["#0b5d4b", "#c77700", "#2d6cb5", "#a1261b"];

  function fontSize() {
    // 长辈版 draws bigger labels, like the page's own text.
    return document.body.classList.contains("elder") ? 18 : 14;
  }

  function options(data) {
    var size = fontSize();
    var text = { fontSize: size, color: "#1c2421" };
    var bar = data.kind === "bar";
    return {
      color: PALETTE,
      animation: false,
      textStyle: text,
      legend: { top: 0, textStyle: text },
      grid: { left: 8, right: 16, top: size * 3, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", textStyle: text },
      xAxis: bar
        ? { type: "value", minInterval: 1, axisLabel: text }
        : { type: "category", data: data.labels, axisLabel: text },
      yAxis: bar
        ? { type: "category", data: data.labels, inverse: true, axisLabel: text }
        : { type: "value", minInterval: 1, axisLabel: text },
      series: data.series.map(function (s) {
        return { name: s.name, type: data.kind, data: s.values, barMaxWidth: size * 1.5 };
      }),
    };
  }

  function toggle(button, table, chart) {
    button.addEventListener("click", function () {
      var shown = button.getAttribute("aria-expanded") === "true";
      table.classList.toggle("behind-chart", shown);
      button.setAttribute("aria-expanded", shown ? "false" : "true");
      button.textContent = shown ? button.dataset.show : button.dataset.hide;
      if (!shown) chart.resize();
    });
  }

  function draw(box) {
    var source = document.getElementById(box.dataset.chart);
    var table = document.getElementById(box.dataset.table);
    if (!source || !table) return null;
    var data = JSON.parse(source.textContent);
    box.hidden = false;
    var rows = data.kind === "bar" ? data.labels.length : 0;
    if (rows > 6) box.style.height = rows * fontSize() * 2.6 + fontSize() * 4 + "px";
    var chart = window.echarts.init(box, null, { renderer: "canvas" });
    chart.setOption(options(data));
    table.classList.add("behind-chart");
    var button = box.parentElement.querySelector(".chart-toggle");
    if (button) {
      button.hidden = false;
      button.setAttribute("aria-expanded", "false");
      button.textContent = button.dataset.show;
      toggle(button, table, chart);
    }
    return chart;
  }

  function start() {
    if (!window.echarts) return;
    var charts = [];
    document.querySelectorAll(".chart[data-chart]").forEach(function (box) {
      var chart = draw(box);
      if (chart) charts.push(chart);
    });
    window.addEventListener("resize", function () {
      charts.forEach(function (chart) {
        chart.resize();
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
