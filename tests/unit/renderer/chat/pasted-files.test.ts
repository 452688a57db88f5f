import { describe, expect, it } from 'vitest';
import { filesToAttach } from '../../../../renderer/chat/attachments/pasted-files';

const file = (name: string, type: string) => new File(['x'], name, { type });

describe('filesToAttach', () => {
  it('attaches a screenshot or copied files', () => {
    expect(filesToAttach([file('image.png', 'image/png')], '')).toHaveLength(1);
    expect(filesToAttach([file('a.pdf', 'application/pdf')], 'a.pdf')).toHaveLength(1);
    expect(filesToAttach([file('photo.jpg', 'image/jpeg')], '/home/me/photo.jpg')).toHaveLength(1);
    expect(filesToAttach([file('photo.jpg', 'image/jpeg')], 'file:///home/me/photo.jpg')).toHaveLength(1);
  });
  it('pastes the text of rich text that also carries a picture of itself', () => {
    expect(filesToAttach([file('image.png', 'image/png')], 'Quarterly results were strong.')).toEqual([]);
  });
  it('nothing to attach without files', () => {
    expect(filesToAttach([], 'text')).toEqual([]);
  });
});
