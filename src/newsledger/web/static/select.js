// Selecting words of the article fills the "add a record" form with them and their place in the text.
// Offsets are counted in code points, as the server counts them; the server checks them against the words.
(function () {
  "use strict";
  var text = document.querySelector("article.text");
  var box = document.getElementById("add-record");
  if (!text || !box) { return; }
  function codePoints(s) { return Array.from(s).length; }
  function fill() {
    var sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) { return; }
    var range = sel.getRangeAt(0);
    if (!text.contains(range.startContainer) || !text.contains(range.endContainer)) { return; }
    var words = range.toString();
    if (!words.trim()) { return; }
    var before = document.createRange();
    before.setStart(text, 0);
    before.setEnd(range.startContainer, range.startOffset);
    var start = codePoints(before.toString());
    document.getElementById("ar-start").value = String(start);
    document.getElementById("ar-end").value = String(start + codePoints(words));
    document.getElementById("ar-text").value = words;
    box.open = true;
  }
  text.addEventListener("mouseup", fill);
  text.addEventListener("keyup", fill);
  // Typing the words by hand drops the offsets: the server then finds the words itself.
  document.getElementById("ar-text").addEventListener("input", function () {
    document.getElementById("ar-start").value = "";
    document.getElementById("ar-end").value = "";
  });
})();
