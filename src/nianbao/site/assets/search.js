// Pagefind's UI (served from /pagefind/, built with the extended binary), with filters for body, year, province
// and level. ?q=… in the address starts a search.
// The index holds Chinese one character to a word (site/search_index.py, HAN there): a query is cut the same
// way, and a query of one run (川汇区, 医药卫生体制改革) is searched as a phrase, its characters in a row.
const HAN = '\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff';
const BEFORE_HAN = new RegExp('([' + HAN + '])(?=[' + HAN + '])', 'g');
const SPACED_HAN = new RegExp('([' + HAN + ']) (?=(?:</mark>)?(?:<mark>)?[' + HAN + '])', 'g');
function nianbaoQuery(term) {
  const q = term.trim();
  if (q === '' || q.startsWith('"')) return q;
  const spaced = q.replace(BEFORE_HAN, '$1 ');
  return /\s/.test(q) || spaced === q ? spaced : '"' + spaced + '"';
}
// An excerpt as the page reads: 80 words (a sentence, now that a word is one character), without the spaces
// the index put between characters (a space the text itself had between two goes too: 河南省周口市 reads as
// well as 河南省 周口市).
function nianbaoExcerpt(result) {
  result.excerpt = result.excerpt.replace(SPACED_HAN, '$1');
  return result;
}
window.addEventListener('DOMContentLoaded', function () {
  const ui = new PagefindUI({ element: '#nb-search', showSubResults: false, showImages: false,
                              resetStyles: false, pageSize: 10, openFilters: ['年度'], excerptLength: 80,
                              processTerm: nianbaoQuery, processResult: nianbaoExcerpt });
  const q = new URLSearchParams(window.location.search).get('q');
  if (q) ui.triggerSearch(q);
});
