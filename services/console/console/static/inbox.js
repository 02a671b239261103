// The live inbox: a few lines of plain JavaScript (no htmx extension). Listens to
// the console's Server-Sent Events stream, keeps the header's unread count current
// and, on the inbox page, puts each new notification at the top of the list.
// Without JavaScript the page still works: a reload shows new items.
(function () {
  "use strict";
  var link = document.querySelector("[data-live-inbox]");
  if (!link || !window.EventSource) { return; }
  var source = new EventSource(link.getAttribute("data-live-inbox"));

  function showUnread(count) {
    var badge = document.querySelector("[data-unread-count]");
    if (badge && typeof count === "number") { badge.textContent = String(count); }
  }

  source.addEventListener("unread", function (message) {
    showUnread(JSON.parse(message.data).unread);
    link.setAttribute("data-live-state", "listening");  // the stream is subscribed
  });

  source.addEventListener("notification", function (message) {
    var data = JSON.parse(message.data);
    showUnread(data.unread);
    var summary = document.querySelector("[data-inbox-summary]");
    if (summary && data.summary) { summary.textContent = data.summary; }
    var list = document.querySelector("[data-inbox-items]");
    if (!list || !data.html) { return; }
    // The server rendered and escaped this item from its own template.
    var holder = document.createElement("template");
    holder.innerHTML = data.html.trim();
    var item = holder.content.firstElementChild;
    if (item && !document.getElementById(item.id)) { list.insertBefore(item, list.firstElementChild); }
    var empty = document.querySelector("[data-inbox-empty]");
    if (empty) { empty.remove(); }
  });
})();
