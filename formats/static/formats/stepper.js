/* Big − and + buttons beside a number field, for counting cards with a thumb. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-step]");
    if (!button) { return; }
    var input = document.getElementById(button.dataset.for);
    var value = (parseInt(input.value, 10) || 0) + parseInt(button.dataset.step, 10);
    input.value = Math.max(0, value);
    input.dispatchEvent(new Event("change", { bubbles: true }));
  });
})();
