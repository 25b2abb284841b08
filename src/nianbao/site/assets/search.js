// Pagefind's UI (served from /pagefind/, built with the extended binary for Chinese word segmentation),
// with filters for body, year, province and level. ?q=… in the address starts a search.
window.addEventListener('DOMContentLoaded', function () {
  const ui = new PagefindUI({ element: '#nb-search', showSubResults: false, showImages: false,
                              resetStyles: false, pageSize: 10, openFilters: ['年度'] });
  const q = new URLSearchParams(window.location.search).get('q');
  if (q) ui.triggerSearch(q);
});
