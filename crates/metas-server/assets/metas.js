// metas' few behaviours, in one file the Content-Security-Policy allows
// (no inline script on any page). Every page works without them: forms post,
// links lead, a running import says how to refresh.
(function () {
  'use strict';

  // A select that submits its form when it changes (the language).
  document.querySelectorAll('select[data-autosubmit]').forEach(function (s) {
    s.addEventListener('change', function () { s.form.submit(); });
  });

  // A select that opens a page named by its value (the explorer's KPI).
  document.querySelectorAll('select[data-navigate]').forEach(function (s) {
    s.addEventListener('change', function () { location = s.dataset.navigate + s.value; });
  });

  // A page that reloads itself while work runs (an import's progress).
  var reload = document.querySelector('[data-reload-after]');
  if (reload) {
    setTimeout(function () { location.reload(); }, Number(reload.dataset.reloadAfter) || 1000);
  }

  // A new goal's checks follow its fields as they change; without
  // JavaScript the Check button does the same.
  var goal = document.getElementById('goal-form');
  if (goal) {
    var timer;
    goal.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var data = new URLSearchParams(new FormData(goal)); data.set('action', 'check');
        fetch('/goals/new', { method: 'POST', body: data, credentials: 'same-origin' })
          .then(function (r) { return r.text(); })
          .then(function (html) {
            var doc = new DOMParser().parseFromString(html, 'text/html');
            var fresh = doc.getElementById('checks'); var old = document.getElementById('checks');
            var err = doc.querySelector('main > p.error');
            if (old) old.remove();
            var prevErr = document.querySelector('main > p.error'); if (prevErr) prevErr.remove();
            if (fresh) goal.after(fresh); else if (err) goal.after(err);
          });
      }, 400);
    });
  }

  // Upload progress; without JavaScript the form posts as usual.
  var upload = document.getElementById('upload-form');
  if (upload) {
    upload.addEventListener('submit', function (e) {
      if (!window.XMLHttpRequest || !window.FormData) return;
      e.preventDefault();
      var bar = document.getElementById('upload-progress'), pct = document.getElementById('upload-percent');
      bar.hidden = false;
      var xhr = new XMLHttpRequest();
      xhr.open('POST', upload.action);
      xhr.upload.onprogress = function (ev) {
        if (ev.lengthComputable) { bar.value = Math.round(ev.loaded / ev.total * 100); pct.textContent = bar.value + ' %'; }
      };
      xhr.onload = function () {
        // Redirected to the preview: go there; an error page: show it.
        if (xhr.status < 400 && xhr.responseURL) { location.href = xhr.responseURL; return; }
        document.open(); document.write(xhr.responseText); document.close();
      };
      xhr.send(new FormData(upload));
    });
  }
})();
