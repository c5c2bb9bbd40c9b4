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

  // A highlighted word is a link, and a browser starts no selection on a link: a press on one that then
  // moves selects from where it was pressed (drawn here), while a press and release without moving is
  // still a click that opens the record.
  function caretAt(x, y) {
    if (document.caretRangeFromPoint) {
      var r = document.caretRangeFromPoint(x, y);
      return r ? {node: r.startContainer, offset: r.startOffset} : null;
    }
    if (document.caretPositionFromPoint) {
      var p = document.caretPositionFromPoint(x, y);
      return p ? {node: p.offsetNode, offset: p.offset} : null;
    }
    return null;
  }
  var press = null;  // where a press on a highlight began: {x, y, caret, moved}
  var swallowClick = false;
  text.addEventListener("mousedown", function (ev) {
    var link = ev.target.closest && ev.target.closest("a.hl");
    if (ev.button !== 0 || !link || ev.shiftKey || ev.ctrlKey || ev.metaKey || ev.altKey) { return; }
    var caret = caretAt(ev.clientX, ev.clientY);
    if (!caret || !text.contains(caret.node)) { return; }
    press = {x: ev.clientX, y: ev.clientY, caret: caret, moved: false};
    ev.preventDefault();  // no link drag; the selection is drawn by mousemove below
  });
  document.addEventListener("mousemove", function (ev) {
    if (!press) { return; }
    if (!press.moved && Math.abs(ev.clientX - press.x) + Math.abs(ev.clientY - press.y) < 4) { return; }
    press.moved = true;
    var caret = caretAt(ev.clientX, ev.clientY);
    if (!caret || !text.contains(caret.node)) { return; }
    window.getSelection().setBaseAndExtent(press.caret.node, press.caret.offset, caret.node, caret.offset);
  });
  document.addEventListener("mouseup", function () {
    if (!press) { return; }
    swallowClick = press.moved;  // a drag ending on the same highlight must not open it
    press = null;
    if (swallowClick) {
      fill();
      window.setTimeout(function () { swallowClick = false; }, 0);  // the click, if any, comes first
    }
  });
  text.addEventListener("click", function (ev) {
    if (swallowClick) {
      swallowClick = false;
      ev.preventDefault();
    }
  }, true);
  // Typing the words by hand drops the offsets: the server then finds the words itself.
  document.getElementById("ar-text").addEventListener("input", function () {
    document.getElementById("ar-start").value = "";
    document.getElementById("ar-end").value = "";
  });
})();
