import { useId } from 'react';
import type { SubmissionChannel } from '../../../../shared/domain/component-state';
import { useT } from '../../i18n';

const CHANNELS: readonly SubmissionChannel[] = [1, 2, 3];

/** KenhThucHien: how the citizen submitted the dossier (direct, online, postal). */
export function ChannelField({
  value,
  onChange,
}: {
  value: SubmissionChannel;
  onChange: (channel: SubmissionChannel) => void;
}) {
  const t = useT();
  const id = useId();
  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        {t('channel.label')}
      </label>
      <select
        id={id}
        className="input select"
        value={value}
        onChange={(e) => onChange(Number(e.target.value) as SubmissionChannel)}
        data-testid="channel-select"
      >
        {CHANNELS.map((channel) => (
          <option key={channel} value={channel}>
            {t(`channel.${channel}`)}
          </option>
        ))}
      </select>
    </div>
  );
}
