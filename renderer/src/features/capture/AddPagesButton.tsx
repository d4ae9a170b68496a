import type { Ref } from 'react';
import { withShortcut, SHORTCUTS } from '../../app/keyboard';
import { useT } from '../../i18n';
import { Icon } from '../../ui/icons';
import { ACCEPT_ATTRIBUTE } from './useImportFiles';

/** "Thêm trang": opens the file picker (several images at once). Ctrl+O clicks it too. */
export function AddPagesButton({
  onFiles,
  inputRef,
}: {
  onFiles: (files: File[]) => void;
  inputRef: Ref<HTMLInputElement>;
}) {
  const t = useT();
  return (
    <label
      className="btn btn--primary"
      title={withShortcut(t('dossier.addPages'), SHORTCUTS.addPages)}
      data-testid="add-pages-button"
    >
      <Icon name="upload" />
      {t('dossier.addPages')}
      <input
        ref={inputRef}
        type="file"
        className="visually-hidden"
        multiple
        accept={ACCEPT_ATTRIBUTE}
        data-testid="file-input"
        onChange={(e) => {
          const files = Array.from(e.target.files ?? []);
          e.target.value = '';
          onFiles(files);
        }}
      />
    </label>
  );
}
