/**
 * Which files a paste attaches. A screenshot or a copied file attaches; but rich text copied from a word
 * processor also carries a picture of itself, and the user meant the text: when the clipboard has text and
 * only images, the text is pasted (unless the text is just the copied file's path or URI).
 */
export function filesToAttach(files: readonly File[], plainText: string): File[] {
  if (files.length === 0) return [];
  const text = plainText.trim();
  const isPathOrUri = /^(file:\/\/|\/|[A-Za-z]:\\|\\\\)/.test(text) && !text.includes('\n\n');
  const onlyImages = files.every((f) => f.type.startsWith('image/'));
  if (text !== '' && onlyImages && !isPathOrUri) return [];
  return [...files];
}
