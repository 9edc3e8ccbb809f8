// Progressive enhancement: the origin question appears only after its consent box is ticked.
(function () {
  var consent = document.getElementById("id_origin_consent");
  var origin = document.getElementById("id_origin");
  if (!consent || !origin) return;
  var wrapper = origin.closest(".field");
  function sync() {
    wrapper.hidden = !consent.checked;
    if (!consent.checked) origin.value = "";
  }
  consent.addEventListener("change", sync);
  sync();
})();
