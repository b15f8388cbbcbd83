/* Draws the statistics page's charts from the figures the page embeds (json_script "stats-data"): the same
   dictionary as GET /api/v1/stats/{level}/{id}/ and the tables under each chart. No inline script. */
(function () {
  "use strict";
  var dataNode = document.getElementById("stats-data");
  if (!dataNode || typeof echarts === "undefined") { return; }
  var data = JSON.parse(dataNode.textContent);
  var labels = JSON.parse(document.getElementById("stats-labels").textContent);
  var red = "#c8102e", grey = "#8a8f98";
  var charts = [];

  function draw(id, option) {
    var node = document.getElementById(id);
    if (!node) { return; }
    var chart = echarts.init(node, null, { renderer: "canvas" });
    chart.setOption(option);
    charts.push(chart);
  }

  var grid = { left: 8, right: 16, top: 36, bottom: 8, containLabel: true };

  draw("chart-trend", {
    color: [red, grey],
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: grid,
    xAxis: { type: "category", data: data.trend.map(function (r) { return r.month; }) },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      { name: labels.received, type: "bar", data: data.trend.map(function (r) { return r.received; }) },
      { name: labels.resolved, type: "line", data: data.trend.map(function (r) { return r.resolved; }) }
    ]
  });

  var cats = data.categories.slice().reverse();
  draw("chart-categories", {
    color: [red, grey],
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    legend: { top: 0 },
    grid: grid,
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", data: cats.map(function (r) { return r.category; }) },
    series: [
      { name: labels.received, type: "bar", data: cats.map(function (r) { return r.received; }) },
      { name: labels.resolved, type: "bar", data: cats.map(function (r) { return r.resolved; }) }
    ]
  });

  var table = document.getElementById("table-league");
  if (table) {
    var sort = table.getAttribute("data-sort") || "on_time_rate";
    var league = data.league.slice().reverse();
    draw("chart-league", {
      color: [sort === "overdue" ? grey : red],
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", max: sort === "overdue" ? null : 100 },
      yAxis: { type: "category", data: league.map(function (r) { return r.name; }) },
      series: [{ name: labels[sort], type: "bar", data: league.map(function (r) { return r[sort]; }) }]
    });
  }

  var heat = data.heat;
  if (heat && heat.rows.length && heat.areas.length) {
    var points = [], max = 0;
    heat.rows.forEach(function (row, y) {
      row.counts.forEach(function (n, x) { points.push([x, y, n]); if (n > max) { max = n; } });
    });
    draw("chart-heat", {
      tooltip: { position: "top" },
      grid: { left: 8, right: 8, top: 8, bottom: 56, containLabel: true },
      xAxis: { type: "category", data: heat.areas.map(function (a) { return a.name; }), axisLabel: { interval: 0, rotate: 30 } },
      yAxis: { type: "category", data: heat.rows.map(function (r) { return r.category; }) },
      visualMap: { min: 0, max: Math.max(max, 1), calculable: false, orient: "horizontal", left: "center", bottom: 0, itemHeight: 80, inRange: { color: ["#fff5f5", red] } },
      series: [{ type: "heatmap", data: points, label: { show: true } }]
    });
  }

  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
