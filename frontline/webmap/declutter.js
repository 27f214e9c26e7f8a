/* Frontline: city labels that never overlap, at every zoom.
 *
 * flDeclutter(map, group): the labels of `group` (divIcon markers, most prominent first) are
 * shown greedily in that order; a label whose box (with a small margin) would touch a label
 * already shown is hidden. It runs again after every zoom and resize, so zooming in shows
 * the names that had no room before ("Tal Afar" and "Mosul", "Fallujah" and "Baghdad").
 */
function flDeclutter(map, group) {
  function run() {
    var kept = [];
    group.eachLayer(function (marker) {
      var el = marker.getElement && marker.getElement();
      if (!el) return;
      el.style.visibility = "";
      var r = el.getBoundingClientRect();
      if (!r.width) return;
      var box = {l: r.left - 3, t: r.top - 2, r: r.right + 3, b: r.bottom + 2};
      var hit = kept.some(function (k) { return box.l < k.r && box.r > k.l && box.t < k.b && box.b > k.t; });
      if (hit) { el.style.visibility = "hidden"; } else { kept.push(box); }
    });
  }
  map.on("zoomend resize", run);
  map.whenReady(function () { setTimeout(run, 0); });
  run();
  return run;
}
