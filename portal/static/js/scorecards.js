// Scorecard trend charts: one ECharts line per target against its target line.
// The data comes from the chart element's data-* attributes (the CSP allows no inline script);
// the grid above each chart carries the same figures as text, so the page reads without this.
(function () {
  "use strict";

  var COLOURS = {
    met: "#1f6e43", missed: "#a8261d", missing: "#8a5a00", missingFill: "#fdf1d8",
    line: "#1f4e79", target: "#8a5a00"
  };
  // Shapes as well as colours, so the chart reads without colour vision: ● met, ◆ missed.
  var SYMBOLS = { met: "circle", missed: "diamond" };

  function list(element, name) {
    var text = element.getAttribute("data-" + name) || "";
    return text === "" ? [] : text.split(",");
  }

  // A "nice" tick step (1, 2, 2.5 or 5 × 10^n) for about four intervals.
  function niceStep(raw) {
    var power = Math.pow(10, Math.floor(Math.log10(raw)));
    var steps = [1, 2, 2.5, 5, 10];
    for (var i = 0; i < steps.length; i++) {
      if (steps[i] * power >= raw) { return steps[i] * power; }
    }
    return 10 * power;
  }

  function decimals(step) {
    var text = String(Number(step.toPrecision(6)));
    return text.indexOf(".") < 0 ? 0 : text.length - text.indexOf(".") - 1;
  }

  // The y axis: every value and the target line, on round ticks; a percentage stops at 100.
  function axis(values, target, unit) {
    var numbers = values.filter(function (value) { return value !== null; }).concat([target]);
    var low = Math.min.apply(null, numbers);
    var high = Math.max.apply(null, numbers);
    var step = niceStep((high - low) / 4 || Math.abs(high) / 100 || 1);
    var min = Math.floor(low / step - 0.25) * step;
    var max = Math.ceil(high / step + 0.25) * step;
    if (unit === "%" && high <= 100) { max = Math.min(max, 100); }
    if (low >= 0) { min = Math.max(min, 0); }
    return { min: min, max: max, step: step, places: decimals(step) };
  }

  function draw(element) {
    var months = list(element, "months");
    var statuses = list(element, "statuses");
    var values = list(element, "values").map(function (value) {
      return value === "" ? null : Number(value);
    });
    while (values.length < months.length) { values.push(null); }
    var target = Number(element.getAttribute("data-target"));
    var unit = element.getAttribute("data-unit") || "";
    var range = axis(values, target, unit);
    var points = values.map(function (value, index) {
      var status = statuses[index];
      if (value === null) { return { value: null }; }
      return {
        value: value,
        symbol: SYMBOLS[status] || "circle",
        symbolSize: status === "missed" ? 11 : 7,
        itemStyle: { color: COLOURS[status] || COLOURS.line },
        status: status
      };
    });
    var labels = {
      met: element.getAttribute("data-label-met"),
      missed: element.getAttribute("data-label-missed"),
      missing: element.getAttribute("data-label-missing")
    };
    // The "missing" marker fits its month's slot, with its "?" only where there is room.
    var marker = Math.max(5, Math.min(14, element.clientWidth / Math.max(months.length, 1) - 4));
    var chart = window.echarts.init(element, null, { renderer: "canvas" });
    chart.setOption({
      animation: false,
      grid: { left: 8, right: 16, top: 24, bottom: 8, containLabel: true },
      tooltip: {
        trigger: "axis",
        renderMode: "richText", // the HTML tooltip would need inline styles (CSP)
        formatter: function (params) {
          var index = params[0].dataIndex;
          var status = statuses[index];
          var value = values[index];
          var text = months[index] + "\n";
          if (value === null) { return text + (labels[status] || "—"); }
          return text + value + " " + unit + " · " + (labels[status] || "");
        }
      },
      xAxis: {
        type: "category",
        data: months,
        boundaryGap: false,
        axisLabel: {
          color: "#4a5868",
          // The month, with its year under the first month and under each January.
          formatter: function (period, index) {
            var month = period.slice(5);
            return index === 0 || month === "01" ? month + "\n" + period.slice(0, 4) : month;
          },
          interval: months.length > 12 ? Math.ceil(months.length / 12) - 1 : 0
        },
        axisLine: { lineStyle: { color: "#c5cdd6" } },
        axisTick: { alignWithLabel: true }
      },
      yAxis: {
        type: "value",
        min: range.min,
        max: range.max,
        interval: range.step,
        axisLabel: {
          color: "#4a5868",
          formatter: function (value) { return value.toFixed(range.places); }
        },
        splitLine: { lineStyle: { color: "#ebeff3" } }
      },
      series: [{
        type: "line",
        name: element.getAttribute("data-label-value"),
        data: points,
        connectNulls: false,
        lineStyle: { color: COLOURS.line, width: 2 },
        markLine: {
          silent: true,
          symbol: "none",
          lineStyle: { color: COLOURS.target, type: "dashed", width: 1.5 },
          label: { show: false }, // the caption above the chart names the target line
          data: [{ yAxis: target }]
        }
      }, {
        // A missing figure has no point on the line: a "?" on the axis shows the gap is a miss.
        type: "scatter",
        name: labels.missing,
        data: statuses.map(function (status, index) {
          return status === "missing" ? [index, range.min + range.step / 3] : null;
        }).filter(function (point) { return point !== null; }),
        symbol: "roundRect",
        symbolSize: marker,
        itemStyle: { color: COLOURS.missingFill, borderColor: COLOURS.missing, borderWidth: 1 },
        label: {
          show: marker >= 12, position: "inside", formatter: "?",
          color: COLOURS.missing, fontWeight: "bold"
        },
        silent: true,
        z: 3
      }]
    });
    return chart;
  }

  function start() {
    if (!window.echarts) { return; }
    var charts = Array.prototype.map.call(document.querySelectorAll(".sc-chart"), draw);
    window.addEventListener("resize", function () {
      charts.forEach(function (chart) { chart.resize(); });
    });
    // Printing: redraw at the printed width, then back.
    window.addEventListener("beforeprint", function () {
      charts.forEach(function (chart) { chart.resize(); });
    });
    window.addEventListener("afterprint", function () {
      charts.forEach(function (chart) { chart.resize(); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
