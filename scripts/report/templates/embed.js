// Draw every chart of the page from its inline Vega-Lite spec. The views are kept in
// window.reportViews (by chart id) so a reader's browser console, and the browser test, can
// reach each chart's data and controls.
window.reportViews = {};
const embedOptions = {
  renderer: "svg",
  // Saving as SVG or PNG works offline; the source and editor actions would leave the page.
  actions: { export: true, source: false, compiled: false, editor: false },
};
const failed = (figure, view, error) => {
  console.error(`chart ${figure.dataset.chart}: ${error}`);
  view.textContent = `This chart could not be drawn: ${error}`;
  view.classList.add("chart-error");
};
for (const figure of document.querySelectorAll("figure.chart")) {
  const view = figure.querySelector(".chart-view");
  // One chart that cannot be drawn must not stop the others.
  try {
    const spec = JSON.parse(figure.querySelector("script.chart-spec").textContent);
    vegaEmbed(view, spec, embedOptions)
      .then((result) => {
        window.reportViews[figure.dataset.chart] = result.view;
      })
      .catch((error) => failed(figure, view, error));
  } catch (error) {
    failed(figure, view, error);
  }
}
