// Statistics dashboard: draws each <div class="stats-chart" data-chart="KEY"> with ECharts
// from the JSON the page passes in <script id="stats-charts" type="application/json">.
// No inline scripts or styles (the Content-Security-Policy forbids them): sizes are set
// through the DOM, tooltips are drawn on the canvas (richText), not as HTML.
(function () {
  "use strict";

  var PALETTE = ["#b71c1c", "#f9a825", "#1565c0", "#2e7d32", "#6a1b9a", "#00838f", "#ef6c00", "#5d4037"];

  function narrow() {
    return window.innerWidth < 576;
  }

  function percentLabel(value) {
    return value + "%";
  }

  function base(spec) {
    return {
      color: PALETTE,
      animation: false,
      tooltip: { trigger: spec.kind === "pie" ? "item" : "axis", renderMode: "richText", confine: true },
      legend: { top: 0, type: "scroll" },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    };
  }

  function categoryAxis(spec) {
    var many = spec.categories.length > 6 || narrow();
    return {
      type: "category",
      data: spec.categories,
      axisLabel: { interval: 0, rotate: many ? 35 : 0, hideOverlap: false },
    };
  }

  function valueAxis(spec) {
    var axis = { type: "value", minInterval: spec.percent ? 0 : 1 };
    if (spec.percent) {
      axis.max = 100;
      axis.axisLabel = { formatter: "{value}%" };
    }
    return axis;
  }

  function barSeries(spec, stack) {
    return spec.series.map(function (s) {
      var series = { name: s.name, type: "bar", data: s.data, barMaxWidth: 36 };
      if (stack) {
        series.stack = "total";
      }
      if (spec.percent) {
        series.label = { show: !narrow(), position: "top", formatter: function (p) { return percentLabel(p.value); } };
      }
      return series;
    });
  }

  function columns(spec, stacked) {
    var option = base(spec);
    option.xAxis = categoryAxis(spec);
    option.yAxis = valueAxis(spec);
    option.series = barSeries(spec, stacked);
    return option;
  }

  var builders = {
    bar: function (spec) { return columns(spec, false); },
    stack: function (spec) { return columns(spec, true); },
    hbar: function (spec) {
      var option = base(spec);
      option.legend = { show: false };
      option.grid.top = 8;
      // Room right of the longest bar for its value label, so "12.5%" is never cut off.
      option.grid.right = 56;
      // Long school names wrap onto a second line instead of ending in "…".
      option.yAxis = { type: "category", data: spec.categories, inverse: true, axisLabel: { width: narrow() ? 96 : 180, overflow: "break", lineHeight: 14 } };
      option.xAxis = valueAxis(spec);
      if (spec.percent) {
        // Scale to the data (the lowest ratios are a few percent, even 0): a fixed 0-100
        // axis left those bars invisible.
        delete option.xAxis.max;
        option.xAxis.max = function (extent) { return Math.min(100, Math.max(1, Math.ceil(extent.max * 1.1))); };
      }
      option.series = barSeries(spec, false);
      option.series.forEach(function (s) {
        s.showBackground = true;
        s.label = { show: true, position: "right", formatter: function (p) { return percentLabel(p.value); } };
      });
      return option;
    },
    pie: function (spec) {
      var option = base(spec);
      var values = spec.series[0] ? spec.series[0].data : [];
      option.series = [{
        name: spec.series[0] ? spec.series[0].name : "",
        type: "pie",
        radius: narrow() ? ["22%", "45%"] : ["30%", "55%"],
        center: ["50%", "58%"],
        // Empty slices stacked their labels on one spot, squeezing them to "…".
        data: spec.categories
          .map(function (name, i) { return { name: name, value: values[i] }; })
          .filter(function (item) { return item.value > 0; }),
        avoidLabelOverlap: true,
        minShowLabelAngle: 0,
        labelLine: { length: 8, length2: 8 },
        label: {
          show: true,
          formatter: narrow() ? "{b}\n{d}%" : "{b}\n{c} ({d}%)",
          overflow: "break",
          width: narrow() ? 80 : 120,
        },
        labelLayout: { hideOverlap: false },
      }];
      return option;
    },
    line: function (spec) {
      var option = base(spec);
      option.xAxis = categoryAxis(spec);
      option.yAxis = [{ type: "value", minInterval: 1 }, { type: "value", minInterval: 1, splitLine: { show: false } }];
      option.series = spec.series.map(function (s, i) {
        return i === 0
          ? { name: s.name, type: "line", data: s.data, smooth: false, symbolSize: 6 }
          : { name: s.name, type: "bar", data: s.data, yAxisIndex: 1, barMaxWidth: 18 };
      });
      return option;
    },
  };

  function height(spec) {
    if (spec.kind === "hbar") {
      return Math.max(160, spec.categories.length * (narrow() ? 40 : 32) + 40);
    }
    if (spec.kind === "pie") {
      return narrow() ? 260 : 300;
    }
    return narrow() ? 280 : 340;
  }

  function draw() {
    var source = document.getElementById("stats-charts");
    if (!source || typeof window.echarts === "undefined") {
      return;
    }
    var specs = JSON.parse(source.textContent);
    var charts = [];
    document.querySelectorAll(".stats-chart[data-chart]").forEach(function (el) {
      var spec = specs[el.getAttribute("data-chart")];
      if (!spec) {
        return;
      }
      el.style.width = "100%";
      el.style.height = height(spec) + "px";
      if (!spec.categories.length) {
        el.style.height = "auto";
        el.textContent = el.getAttribute("data-empty") || "";
        el.classList.add("text-muted", "text-center", "py-4");
        return;
      }
      var chart = window.echarts.init(el, null, { renderer: "canvas" });
      chart.setOption(builders[spec.kind](spec));
      if (spec.links) {
        chart.on("click", function (params) {
          var link = spec.links[params.dataIndex];
          if (link) {
            window.location.href = link;
          }
        });
        chart.getZr().on("mousemove", function () {
          el.style.cursor = "pointer";
        });
      }
      charts.push(chart);
    });
    var pending = null;
    window.addEventListener("resize", function () {
      window.clearTimeout(pending);
      pending = window.setTimeout(function () {
        charts.forEach(function (chart) { chart.resize(); });
      }, 150);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
