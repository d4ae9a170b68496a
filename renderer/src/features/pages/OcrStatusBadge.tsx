import type { OcrStatus } from '../../../../shared/api/contract';
import { useFormatters, useT } from '../../i18n';
import { Badge } from '../../ui/Badge';
import { OCR_TONE } from '../../ui/statusTone';

export function OcrStatusBadge({ status, progress }: { status: OcrStatus; progress?: number }) {
  const t = useT();
  const { percent } = useFormatters();
  const text = t(`ocrStatus.${status}`);
  return (
    <Badge tone={OCR_TONE[status]} testId="ocr-status">
      {status === 'running' && progress !== undefined && progress > 0 ? `${text} ${percent(progress)}` : text}
    </Badge>
  );
}
