// Sort a table by clicking its header, filter its rows with the box above it.
// Hand-written (30 lines) because Material's documented table sorting loads tablesort from a CDN, which is
// blocked or slow in mainland China, and nothing else here needs a library.
(function () {
  function cellText(row, i) { return (row.children[i] || {}).textContent || ''; }
  function asNumber(text) { const n = parseFloat(text.replace(/[,%\s]/g, '')); return isNaN(n) ? null : n; }
  document.querySelectorAll('table.nb-sortable').forEach(function (table) {
    table.querySelectorAll('thead th').forEach(function (th, i) {
      th.setAttribute('role', 'button'); th.tabIndex = 0; th.title = '点击排序';
      const sort = function () {
        const body = table.tBodies[0], rows = Array.from(body.rows), dir = th.dataset.dir === 'asc' ? -1 : 1;
        rows.sort(function (a, b) {
          const x = cellText(a, i), y = cellText(b, i), nx = asNumber(x), ny = asNumber(y);
          if (nx !== null && ny !== null) return (nx - ny) * dir;
          return x.localeCompare(y, 'zh-Hans-CN') * dir;
        });
        table.querySelectorAll('thead th').forEach(function (h) { delete h.dataset.dir; });
        th.dataset.dir = dir === 1 ? 'asc' : 'desc';
        rows.forEach(function (r) { body.appendChild(r); });
      };
      th.addEventListener('click', sort);
      th.addEventListener('keydown', function (e) { if (e.key === 'Enter') sort(); });
    });
  });
  document.querySelectorAll('input.nb-filter').forEach(function (input) {
    const table = document.querySelector('table[data-filterable]');
    if (!table) return;
    input.addEventListener('input', function () {
      const q = input.value.trim().toLowerCase();
      Array.from(table.tBodies[0].rows).forEach(function (r) {
        r.hidden = q !== '' && r.textContent.toLowerCase().indexOf(q) < 0;
      });
    });
  });
})();
// Every number of a printed table has an address, the page's URL + #<cell id>: set here rather than written
// into each cell (200 ids would cost ~5 kB of every page). A link to one number opens at it, marked.
(function () {
  document.querySelectorAll('td[data-cell]').forEach(function (td) {
    td.id = td.dataset.cell;
    td.title = '格编号 ' + td.dataset.cell + '（引用这个数字：本页网址#' + td.dataset.cell + '）' + (td.title ? '\n' + td.title : '');
  });
  const target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
  if (target && target.dataset.cell) {
    target.classList.add('nb-target');
    target.scrollIntoView({ block: 'center' });
    reportCell(target);
  }
})();
// A page opened at one number: the 报告数据错误 link of its table (site/error_report.py) names that cell, the
// value shown and the page's address with the cell's anchor, in the or e-mail's prefilled text.
function reportCell(td) {
  const table = td.closest('table[data-table]');
  const link = table && document.querySelector('a.nb-report-error[data-table="' + table.dataset.table + '"]');
  if (!link) return;
  const number = td.cloneNode(true);                      // the number as shown, without a settled mark
  number.querySelectorAll('sup').forEach(function (sup) { sup.remove(); });
  const [base, query] = link.getAttribute('href').split('?');
  const filled = query.split('&').map(function (pair) {
    const [key, value] = pair.split('=');
    if (key !== 'body') return pair;
    const text = decodeURIComponent(value)
      .replace(/^(页面：\S+)$/m, '$1#' + td.dataset.cell)
      .replace(/^格编号：$/m, '格编号：' + td.dataset.cell)
      .replace(/^页面上显示的数值：$/m, '页面上显示的数值：' + number.textContent.trim());
    return key + '=' + encodeURIComponent(text);
  });
  link.setAttribute('href', base + '?' + filled.join('&'));
}
// A citation names the day it was read: the reader's own date, filled in here (the page itself is the same
// bytes every build, so it cannot know it).
(function () {
  const now = new Date(), pad = function (n) { return String(n).padStart(2, '0'); };
  document.querySelectorAll('.nb-accessed').forEach(function (span) {
    span.textContent = ' [访问日期：' + now.getFullYear() + '-' + pad(now.getMonth() + 1) + '-' + pad(now.getDate()) + ']';
  });
})();
