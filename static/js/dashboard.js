// The dashboard's charts (ECharts, served from static/vendor): data from json_script.
(function () {
  "use strict";
  function pie(data) {
    return {
      tooltip: { trigger: "item", formatter: "{b}：{c} 件（{d}%）" },
      legend: { type: "scroll", bottom: 0 },
      series: [{ type: "pie", radius: ["35%", "65%"], center: ["50%", "45%"], data: data,
                 label: { formatter: "{b}\n{c}" } }]
    };
  }
  function options(kind, d) {
    if (kind === "trend") {
      return {
        tooltip: { trigger: "axis" },
        legend: { top: 0, data: ["本期", d.trend.previous_label] },
        grid: { left: 40, right: 20, top: 40, bottom: 30 },
        xAxis: { type: "category", data: d.trend.months },
        yAxis: { type: "value", name: "件" },
        series: [
          { name: "本期", type: "bar", data: d.trend.current },
          { name: d.trend.previous_label, type: "line", data: d.trend.previous }
        ]
      };
    }
    if (kind === "units") {
      var rows = d.units.rows;
      return {
        tooltip: { trigger: "axis" },
        legend: { top: 0, data: ["件数", "当前超期", "按期办结率", "满意率"] },
        grid: { left: 40, right: 50, top: 50, bottom: 70 },
        xAxis: { type: "category", data: rows.map(function (r) { return r.name; }), axisLabel: { rotate: 30 } },
        yAxis: [{ type: "value", name: "件" }, { type: "value", name: "%", max: 100 }],
        series: [
          { name: "件数", type: "bar", data: rows.map(function (r) { return r.received; }) },
          { name: "当前超期", type: "bar", data: rows.map(function (r) { return r.overdue; }) },
          { name: "按期办结率", type: "line", yAxisIndex: 1, connectNulls: false,
            data: rows.map(function (r) { return r.on_time_rate; }) },
          { name: "满意率", type: "line", yAxisIndex: 1, connectNulls: false,
            data: rows.map(function (r) { return r.satisfaction_rate; }) }
        ]
      };
    }
    return pie(d[kind]);
  }
  function draw() {
    var source = document.getElementById("dashboard-data");
    if (!source || !window.echarts) { return; }
    var data = JSON.parse(source.textContent);
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var chart = echarts.init(el);
      var opt = options(el.dataset.chart, data);
      opt.animation = false;
      chart.setOption(opt);
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
