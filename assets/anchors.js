// The sanitizer prefixes a post's ids with `user-content-` (so a post cannot take the page's own ids):
// an old link to post#anchor, from elsewhere or from the post itself, lands on user-content-anchor (GitHub does the same).
function followPrefixedAnchor() {
  var id;
  try {
    id = decodeURIComponent(location.hash.slice(1));
  } catch {
    return;
  }
  if (!id || document.getElementById(id) || !document.getElementById(`user-content-${id}`)) return;
  location.replace(`#user-content-${encodeURIComponent(id)}`);
}
window.addEventListener('hashchange', followPrefixedAnchor);
window.addEventListener('DOMContentLoaded', followPrefixedAnchor);
