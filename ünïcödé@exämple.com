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
/Filter [ /ASCII85Decode /FlateDecode ] /Length 1126
>>
stream
GasJPCNH4@'SaBo.iRH-"M(npRW2j@]V)!nW::W\5U%\PJ2=fEp:%4mG#R)JWhd8,X8>kgk<45RLBYo(Zg$ZV!2qfK)_>A?Y[7CR;&lgPTPe8=*<MV^U%$ITre',48jErm5eP>eT"/\E5dBJoA'g%?])WiLT,n%"4g=D4OZ07[.`G?'B?4:*jYA'X8:,Q?@X%\sJ/lp!`s\KP#XAS$j=P8;@DK0.[^@FO?`j>_"iO:??fk:!j*EcQ[b$lLWYZ]SdoX886m5DuO8.Bd:7r^r0U6=*8(WZ00FYk[.m,@]!do'qIHTN71)P;k`,eKmn.a3!qKVcMK4-1HETld)Y.lV]#'IAmr,1j;cFbQ&:_;OP]-!khgW!`;12jWpjc@h+!-t/F=m:q9^3E.6JY>J'jDNi_;[kuf_(@"FQ&b,p!tq97&YO:8VselTkk;*"""`Z)`8;o^'eja2\W(#*DtRF?ftAREA@i_9JP&[@lE8^,]?Z7Ln#s`5jL_?+Ch-\\57B:o2lS^:(c*XNX_+^(],O%?YOms,$+5VDB8Zk*N$k(STpM%s/C#/d0!B)R)RtDbl"n5g@.]*iLD-i6A"0O&.d#7WEFFs]6tX+"dt^G+r9\KKV\JN2]g^Lq8+#:WXmc)=[pZK6U(UN"M5n.dUAe7u<=<4]U$ni^c1Q2.*R.,;59IJcIWK$@ZAZs$d`Lfp,Y=O"(->;%fP]ek-fSD*H_aON:\>MjE>Ro(hD7t'[a-j]F:R]#1"FKbiO+KnC;DHFZt@9r.$aB@lRd0i71tkYjf1PQp1olG8>Xp5+%P`COu6?4$Fu[:p^kQ88R>4EGU?:3bKS98[TBj&;J263c;2+/oA*u3O7O*!Ubhu)\M]jqUID0Ye1PXK7GNGg\m7HLH`G?1cM3>U7Z)/P$m2e+6\BlQ#c$mr7ZJT,b.:^a,aNiB=:VU6Om7UB7W)PC<Fu#gHf`844iVWUSI1!nX,YiOb]\)h(mL>U\K4%XXZKh:f\hr%;A=IC)#]7g2gpUM:7#:`<lZr3as>5^(?3P9LA5+UXDVFs^I8@'227g#:ML:C.@ruF>J_Zb+(,DK#i].b$R@eu##=B.@%5pe*cT"NU4AAVXW.%,%)S4g;'3(F@"/9g#[N,~>endstream
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
2129
%%EOF
