import { useMemo, useRef, type ReactNode } from 'react'
import type { TldrawOptions } from 'tldraw'
import type { Sensitivity } from '../../shared/sensitivity.ts'
import { FieldSensitivityContext, HideInternalFieldsContext } from './fieldSensitivity.ts'

/** How a canvas's cards show their fields: the sensitivity they follow, and whether internal fields are left off. */
export interface CardFieldView {
  sensitivity: Sensitivity | null
  hideInternal: boolean
}

/** Provides a canvas's {@link CardFieldView} to its cards. */
export function CardFieldViewProvider({ view, children }: { view: CardFieldView; children: ReactNode }) {
  return (
    <FieldSensitivityContext.Provider value={view.sensitivity}>
      <HideInternalFieldsContext.Provider value={view.hideInternal}>{children}</HideInternalFieldsContext.Provider>
    </FieldSensitivityContext.Provider>
  )
}

/**
 * tldraw options that give a board's image exports (`editor.toImage`) the cards' field view:
 * tldraw renders an export in a React root of its own, outside the canvas's providers, so without
 * this a guest's PNG showed every internal field at its stand-in ("Neutral", "Medium influence",
 * "Role not assessed") that the guest's canvas leaves off. The provider reads the view as it is
 * when the export runs; the options object is one for the canvas's life (tldraw reads it at mount).
 */
export function useCardFieldExportOptions(view: CardFieldView): Partial<TldrawOptions> {
  const latest = useRef(view)
  latest.current = view
  return useMemo(() => {
    function ExportCardFieldView({ children }: { children?: ReactNode }) {
      return <CardFieldViewProvider view={latest.current}>{children}</CardFieldViewProvider>
    }
    return { exportProvider: ExportCardFieldView }
  }, [])
}
