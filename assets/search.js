// Starts Pagefind's own search UI in the header's search box (the index lives at /pagefind/).
window.addEventListener('DOMContentLoaded', () => {
  if (typeof PagefindUI !== 'function') return;
  new PagefindUI({
    element: '#search',
    showSubResults: true,
    showImages: false,
    resetStyles: false,
    translations: { placeholder: 'Search posts, threads and guides' },
  });
});
