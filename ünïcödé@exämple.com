%PDF-1.3
%“Œ‹ž ReportLab Generated PDF document (opensource)
1 0 obj
<<
/F1 2 0 R /F2 3 0 R
>>
endobj
2 0 obj
<<
/BaseFont /Helvetica /Encoding /WinAnsiEncoding /Name /F1 /Subtype /Type1 /Type /Font
>>
endobj
3 0 obj
<<
/BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding /Name /F2 /Subtype /Type1 /Type /Font
>>
endobj
4 0 obj
<<
/Contents 8 0 R /MediaBox [ 0 0 595.2756 841.8898 ] /Parent 7 0 R /Resources <<
/Font 1 0 R /ProcSet [ /PDF /Text /ImageB /ImageC /ImageI ]
>> /Rotate 0 /Trans <<

>> 
  /Type /Page
>>
endobj
5 0 obj
<<
/PageMode /UseNone /Pages 7 0 R /Type /Catalog
>>
endobj
6 0 obj
<<
/Author (anonymous) /CreationDate (D:20000101000000+00'00') /Creator (anonymous) /Keywords () /ModDate (D:20000101000000+00'00') /Producer (ReportLab PDF Library - \(opensource\)) 
  /Subject (unspecified) /Title (untitled) /Trapped /False
>>
endobj
7 0 obj
<<
/Count 1 /Kids [ 4 0 R ] /Type /Pages
>>
endobj
8 0 obj
<<
/Filter [ /ASCII85Decode /FlateDecode ] /Length 1122
>>
stream
GasJP>B?f8&:i[6($uGb0jI0b5SJ'l8p'(s]Yp`\JLEf,5s2dVZG1fJA2fdUXZDlLR[WK0rjo"S\iF/^aec'""1/MF\f>YpN#1DsRKm=.W^3G$"=TN[r)M&@K+K_rAL)=>-9Fe,P:Jgn&+8Zjh8h_TE,pFf,qrZA\GAT?VCJPoJ]>Gk-E^;tXI(2kj!?b@k+@0KkW"mgn!s^qMf:]H]?7F`VIkRg0)aDQs-QpNBIm,9PhE_QhU0!+bKtF,P8enIM^;OBEVdU\?/mZ!A/V3jqVfP>U+/jS0`DQC.PsU:C5-ML:0[tY0k86V!u>R$"a)a%Nkr$.bk(Bq(+qh(<!AQ!@=JdT)eD="BS=?cG`STKDaRacW9g1(_[X=n^B5)ORcC1S`ol:oKeQ/XP/o$.MeHnA/0OJ>l)/<DXFLG4U'&kaI^k]mMitG&?$Kg^P)sKT)pgW6cTL*GlfrLcj^5RmV(<DYVqtgV^!rKP8mrFWg>lES$G&/+mWS1pn[Tb&aSB[3#eG;5+1F`:^b>C&Z`SqSf#H0@f@B'2I``G_$fkk8q7>n2Tq-+cMs75kb)4S_o%=dqGf5c0e<R`TCqiYtMLSTC-b0ob^73Uo8#s9ac8=tcb@%o^?B&F"dl?`7p+U4QrGmlK&c/hVg:"KFLFE^K9TMPBQ-/FQMSiuE;CSsF)OsiOm9soT*r"u:dqmi77feNN]bXS'X!0XL]MWTb_c^U>DoT,>&ggf>BP+%:q/U7%/`*P:@k6ojo'S!:_!\;T[^5nl7]R3Pn/r_;/bQi7BRSSo\=#EnP_iEed[aVrH9&\O']#at=1haUQFe/MeIj`LLX^3DAI(aHDVX7CZeFS)B25WlNVp&[.Ifs+T,+j#D6.N*j/plj(4.F<SEIOJfbCV#*E@PB$+lkaSW\hM4-H3m@fJEdkP,+]p58;!c/"eG9R4V=$@,+HMe]);e$?.^^I?`+k2++2\UGH=48[$U<6pmB.f5PAP)nVDIiU&jh4cnH4S6S[?tWhu_rSq<q\G%3kFg@J'pm#(l,A$Uri8em)DV&s]?"]-@;4sBc%SZp^rcAH;I]A2=<f*.q&')@n^0LP("s.bEH6$6%`=),/I'\th=qCe?odkGEWG*;ZLhDC~>endstream
endobj
xref
0 9
0000000000 65535 f 
0000000061 00000 n 
0000000102 00000 n 
0000000209 00000 n 
0000000321 00000 n 
0000000524 00000 n 
0000000592 00000 n 
0000000853 00000 n 
0000000912 00000 n 
trailer
<<
/ID 
[<1c178198fbdfa51b25995d89d4102043><1c178198fbdfa51b25995d89d4102043>]
% ReportLab generated PDF document -- digest (opensource)

/Info 6 0 R
/Root 5 0 R
/Size 9
>>
startxref
2125
%%EOF
