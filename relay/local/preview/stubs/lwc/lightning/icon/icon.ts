// Preview stand-in for lightning-icon: the SLDS sprite sheets are not available off-platform, so a glyph.
import { LightningElement, api } from 'lwc';

const GLYPHS: Record<string, string> = {
  'standard:call': '☎',
  'utility:refresh': '↻',
  'utility:arrowup': '↑',
  'utility:arrowdown': '↓',
  'utility:close': '✕',
  'utility:down': '▾'
};

export default class Icon extends LightningElement {
  @api iconName = '';
  @api size = 'small';
  @api variant?: string;
  @api alternativeText?: string;

  get glyph(): string {
    return GLYPHS[this.iconName] ?? '•';
  }

  get iconClass(): string {
    const standard = this.iconName.startsWith('standard:') ? ' preview-icon_standard' : '';
    return `preview-icon preview-icon_${this.size}${standard}`;
  }
}
