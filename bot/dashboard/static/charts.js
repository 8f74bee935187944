/* Comfort and safety line charts for the mentee and overview pages.
 *
 * Each chart is a <canvas data-chart="ID"> whose data sits in
 * <script type="application/json" id="ID">{"labels": [...], "comfort": [...], "safety": [...]}</script>
 * (null for a missing value). The table next to each chart holds the same figures as text.
 * Needs /static/vendor/chart.umd.min.js (Chart.js 4) loaded first; both are `defer`.
 */
(function () {
  "use strict";

  var SERIES = [
    { key: "comfort", label: "Comfort", color: "#0b5cad", dash: [], point: "circle" },
    { key: "safety", label: "Safety", color: "#1e6b34", dash: [6, 4], point: "rectRot" }
  ];

  function readData(id) {
    var node = document.getElementById(id);
    if (!node) { return null; }
    try { return JSON.parse(node.textContent || "null"); } catch (e) { return null; }
  }

  function draw(canvas) {
    var data = readData(canvas.getAttribute("data-chart"));
    if (!data || !window.Chart) { return; }
    var datasets = SERIES.map(function (s) {
      return {
        label: s.label,
        data: data[s.key] || [],
        borderColor: s.color,
        backgroundColor: s.color,
        borderDash: s.dash,       // not colour alone: safety is dashed
        pointStyle: s.point,
        pointRadius: 4,
        spanGaps: true,           // a missed check-in leaves a gap in the data, not in the line
        tension: 0
      };
    });
    canvas.chart = new window.Chart(canvas, {
      type: "line",
      data: { labels: data.labels || [], datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: {
          y: { min: 1, max: 5, ticks: { stepSize: 1 }, title: { display: true, text: "Score (1 to 5)" } }
        },
        plugins: { legend: { position: "bottom", labels: { usePointStyle: true } } }
      }
    });
  }

  function drawAll() {
    var canvases = document.querySelectorAll("canvas[data-chart]");
    for (var i = 0; i < canvases.length; i++) { draw(canvases[i]); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
}());
