import { useEffect, useRef, type ReactNode } from 'react';

/**
 * The browser's own modal <dialog>: focus is trapped and Escape closes it,
 * with no UI library beyond react-admin's (MUI is not a direct dependency).
 */
export const ModalDialog = ({ open, onClose, labelledBy, children }: { open: boolean; onClose: () => void; labelledBy: string; children: ReactNode }) => {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal?.();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog ref={ref} className="inspection-dialog" aria-labelledby={labelledBy} onClose={onClose} onCancel={onClose}>
      {open ? children : null}
    </dialog>
  );
};
