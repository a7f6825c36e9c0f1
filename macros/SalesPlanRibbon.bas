Attribute VB_Name = "SalesPlanRibbon"
Option Explicit

' Ribbon callbacks of the SalesPlan add-in (tab defined in customUI/customUI14.xml).
' Thin on purpose: every button runs one function of the Python module
' salesplan_xl.ribbon through xlwings' RunPython; the work happens in Python.
' Keep this file ASCII-only (VBA source is stored in the project code page).

Public Sub OnAction(control As IRibbonControl)
    Dim action As String
    action = ActionFor(control.Id)
    If action = "" Then
        MsgBox "SalesPlan: unknown ribbon button '" & control.Id & "'.", vbExclamation, "SalesPlan"
        Exit Sub
    End If
    If ActiveWorkbook Is Nothing Then
        MsgBox "SalesPlan: open a workbook first.", vbInformation, "SalesPlan"
        Exit Sub
    End If
    RunPython "import salesplan_xl.ribbon as r; r." & action & "()"
End Sub

' Button id (customUI14.xml) -> function name in salesplan_xl.ribbon.
Private Function ActionFor(ByVal controlId As String) As String
    Select Case controlId
        Case "spRegenerate": ActionFor = "regenerate"
        Case "spSplitTarget": ActionFor = "split_target"
        Case "spRefresh": ActionFor = "refresh"
        Case "spCheckInputs": ActionFor = "check_inputs"
        Case "spRollover": ActionFor = "rollover"
        Case "spExportPdf": ActionFor = "export_pdf"
        Case "spDiagnostics": ActionFor = "diagnostics"
        Case Else: ActionFor = ""
    End Select
End Function
