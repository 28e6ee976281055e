// The dashboard's charts (ECharts, served from static/vendor): data from json_script.
(function () {
  "use strict";
  // Captions are never cut off (issue 14 point 9): a pie's labels wrap rather than end
  // in "…", and on a phone the pie is smaller to leave them room; every unit is named
  // under the bars, and the axes' labels are kept inside the chart (containLabel).
  function narrow(el) { return el.clientWidth < 380; }
  function pie(data, el) {
    return {
      tooltip: { trigger: "item", formatter: "{b}：{c} 件（{d}%）" },
      legend: { type: "scroll", bottom: 0 },
      series: [{ type: "pie", radius: narrow(el) ? ["25%", "45%"] : ["35%", "65%"], center: ["50%", "45%"],
                 data: data, label: { formatter: "{b}\n{c}", overflow: "break" } }]
    };
  }
  function options(kind, d, el) {
    if (kind === "trend") {
      return {
        tooltip: { trigger: "axis" },
        legend: { top: 0, data: ["本期", d.trend.previous_label] },
        grid: { left: 10, right: 20, top: 40, bottom: 10, containLabel: true },
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
        grid: { left: 10, right: 10, top: 60, bottom: 10, containLabel: true },
        xAxis: { type: "category", data: rows.map(function (r) { return r.name; }),
                 axisLabel: { rotate: narrow(el) ? 60 : 30, interval: 0 } },
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
    return pie(d[kind], el);
  }
  function draw() {
    var source = document.getElementById("dashboard-data");
    if (!source || !window.echarts) { return; }
    var data = JSON.parse(source.textContent);
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var chart = echarts.init(el);
      var opt = options(el.dataset.chart, data, el);
      opt.animation = false;
      chart.setOption(opt);
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
