// Pagefind's UI (served from /pagefind/, built with the extended binary), with filters for body, year, province
// and level. ?q=… in the address starts a search. A large site's index is split (site/search_index.py, bundles):
// the page then has a choice of scope (#nb-scope), kept in the address as ?scope=<province's two digits>; the
// national index at /pagefind/ holds names, places and years, a province's at /pagefind/<code>/ its prose too.
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
// The scope the address asks for, if the page offers it ('' the national index); an unknown one is said, and
// the national index searched.
function nianbaoScope(params) {
  const select = document.getElementById('nb-scope');
  if (!select) return '';
  const asked = params.get('scope') || '';
  const known = [...select.options].some(function (o) { return o.value === asked; });
  if (!known) {
    const note = document.querySelector('.nb-scope-unknown');
    note.textContent = '没有代码为“' + asked + '”的搜索范围，已改为在全国范围搜索。';
    note.hidden = false;
  }
  select.value = known ? asked : '';
  select.addEventListener('change', function () {
    const input = document.querySelector('#nb-search .pagefind-ui__search-input');
    window.location.search = nianbaoAddress(input ? input.value : '', select.value);
  });
  return select.value;
}
function nianbaoAddress(q, scope) {
  const params = new URLSearchParams();
  if (q.trim()) params.set('q', q.trim());
  if (scope) params.set('scope', scope);
  const text = params.toString();
  return text ? '?' + text : '';
}
window.addEventListener('DOMContentLoaded', function () {
  const params = new URLSearchParams(window.location.search);
  const scope = nianbaoScope(params);
  const options = { element: '#nb-search', showSubResults: false, showImages: false,
                    resetStyles: false, pageSize: 10, openFilters: ['年度'], excerptLength: 80,
                    processTerm: nianbaoQuery, processResult: nianbaoExcerpt };
  // an absolute path: Pagefind imports the bundle's code relative to its own script, not to this page
  if (scope) options.bundlePath = new URL('../pagefind/' + scope + '/', document.baseURI).pathname;
  const ui = new PagefindUI(options);
  // on a split site the address follows the query, so a search can be copied as a link with its scope
  if (document.getElementById('nb-scope')) document.querySelector('#nb-search').addEventListener('input', function (event) {
    if (event.target.matches('.pagefind-ui__search-input')) {
      window.history.replaceState(null, '', nianbaoAddress(event.target.value, scope) || window.location.pathname);
    }
  });
  const q = params.get('q');
  if (q) ui.triggerSearch(q);
});
